# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# bpf_ksym_exists(kfunc) loads the kfunc's address (libbpf turns the ld_imm64 into a
# BPF_PSEUDO_BTF_ID one): read-only memory that is never NULL (kernel/bpf/verifier.c
# check_pseudo_btf_id()), so the `while (1);` a program keeps for kernels without the kfunc is
# dead code here, and the verifier never walks the infinite loop.
	.cdecl
struct task_struct { int pid; };
extern struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym __attribute__((weak));
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	tp_btf/sched_switch,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = bpf_task_acquire ll
	if r1 != 0 goto ok
spin:
	goto spin
ok:
	r0 = 0
	exit
	.size	prog, .-prog
