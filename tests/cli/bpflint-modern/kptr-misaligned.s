# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# A kptr field of a map value is read and written whole, as 8 bytes at its own offset: a byte
# load from its middle is refused (kernel/bpf/verifier.c check_map_access(): "kptr access
# misaligned").
	.cdecl
struct task_struct { int pid; };
struct val {
	long x;
	struct task_struct __attribute__((btf_type_tag("kptr_untrusted"))) *t;
};
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, struct val);
} m SEC(".maps");
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	tp_btf/sched_switch,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = 0
	*(u32 *)(r10 - 4) = r1
	r2 = r10
	r2 += -4
	r1 = m ll
	call 1
	if r0 == 0 goto out
	r1 = *(u8 *)(r0 + 9)
out:
	r0 = 0
	exit
	.size	prog, .-prog
