# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# A referenced kptr changes only through bpf_kptr_xchg(): a plain store into it is refused
# (kernel/bpf/verifier.c check_map_kptr_access(): "store to referenced kptr disallowed").
	.cdecl
struct task_struct { int pid; };
struct val {
	long x;
	struct task_struct __attribute__((btf_type_tag("kptr"))) *t;
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
	r1 = 0
	*(u64 *)(r0 + 8) = r1
out:
	r0 = 0
	exit
	.size	prog, .-prog
