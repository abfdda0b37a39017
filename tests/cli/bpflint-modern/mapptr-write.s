# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# A map pointer points to the kernel's map struct (struct bpf_array here): reads are allowed,
# writes are not (kernel/bpf/verifier.c, check_ptr_to_map_access()).
	.cdecl
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} vals SEC(".maps");
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = vals ll
	r2 = 0
	*(u32 *)(r1 + 0) = r2
	r0 = 0
	exit
	.size	prog, .-prog
