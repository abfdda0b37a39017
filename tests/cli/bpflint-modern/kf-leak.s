# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# The acquired task is never released (kernel/bpf/verifier.c: KF_ACQUIRE results are references).
	.cdecl
struct task_struct { int pid; };
extern struct task_struct *bpf_task_from_pid(int pid) __ksym;
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	tp_btf/sched_switch,"ax",@progbits
	.globl	on_switch
	.type	on_switch,@function
on_switch:
	r1 = 1
	call bpf_task_from_pid
	if r0 == 0 goto out
out:
	r0 = 0
	exit
	.size	on_switch, .-on_switch
