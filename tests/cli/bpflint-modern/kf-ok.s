# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# A kfunc that acquires (bpf_task_from_pid: KF_ACQUIRE | KF_RET_NULL, kernel/bpf/helpers.c) and its
# release after the NULL check: the prototype comes from the kernel's BTF, the flags from
# bpflint's kfunc table.
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
	if r0 == 0 goto out
	r1 = r0
	call bpf_task_release
out:
	r0 = 0
	exit
	.size	on_switch, .-on_switch
