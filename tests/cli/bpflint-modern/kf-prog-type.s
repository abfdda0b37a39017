# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# The generic kfuncs are registered for the tracing hook (tp_btf, fentry, tracepoint, perf_event,
# lsm), tc, xdp, cgroup, struct_ops and syscall programs, not raw_tp (kernel/bpf/helpers.c
# kfunc_init(); kernel/bpf/btf.c bpf_prog_type_to_kfunc_hook()).
	.cdecl
struct task_struct { int pid; };
extern struct task_struct *bpf_task_from_pid(int pid) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	raw_tp/sched_switch,"ax",@progbits
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
