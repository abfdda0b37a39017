# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# The same load, checked for NULL: an `rcu_ptr_task_struct` that bpf_task_acquire()
# (KF_ACQUIRE | KF_RCU | KF_RET_NULL) takes; the acquired task is released.
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
extern void bpf_task_release(struct task_struct *p) __ksym;
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
	if r1 == 0 goto out
	call bpf_task_acquire
	if r0 == 0 goto out
	r1 = r0
	call bpf_task_release
out:
	r0 = 0
	exit
	.size	prog, .-prog
