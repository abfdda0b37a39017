# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# KF_RELEASE arguments are trusted and may not be NULL: the result of a KF_RET_NULL kfunc must be
# checked first (kernel/bpf/verifier.c check_kfunc_args(): "Possibly NULL pointer passed to trusted
# arg%d").
	.cdecl
struct task_struct { int pid; };
extern struct task_struct *bpf_task_from_pid(int pid) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	tp_btf/sched_switch,"ax",@progbits
	.globl	on_switch
	.type	on_switch,@function
on_switch:
	r1 = 1
	call bpf_task_from_pid
	r1 = r0
	call bpf_task_release
out:
	r0 = 0
	exit
	.size	on_switch, .-on_switch
