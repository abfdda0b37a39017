# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# Reading through a map pointer (the first field of struct bpf_array) is allowed.
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
	r0 = *(u32 *)(r1 + 0)
	r0 = 0
	exit
	.size	prog, .-prog
