# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# A referenced kptr loaded from a map value may be NULL (kernel/bpf/verifier.c
# btf_ld_kptr_type(): PTR_MAYBE_NULL, and MEM_RCU for task_struct in a non-sleepable
# program), so it must be checked before a kfunc taking a trusted or RCU argument gets it.
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
extern struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym;
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
	r1 = *(u64 *)(r0 + 8)
	call bpf_task_acquire
out:
	r0 = 0
	exit
	.size	prog, .-prog
