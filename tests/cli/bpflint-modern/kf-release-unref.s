# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# The traced function's argument is trusted but not a reference this program holds: releasing it
# is refused (kernel/bpf/verifier.c check_kfunc_args()).
	.cdecl
struct task_struct { int pid; };
extern void bpf_task_release(struct task_struct *p) __ksym;
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	tp_btf/sched_switch,"ax",@progbits
	.globl	on_switch
	.type	on_switch,@function
on_switch:
	r1 = *(u64 *)(r1 + 8)
	call bpf_task_release
out:
	r0 = 0
	exit
	.size	on_switch, .-on_switch
