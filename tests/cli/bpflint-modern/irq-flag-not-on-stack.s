# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# The irq flag is a map value, not a stack slot (kernel/bpf/verifier.c check_kfunc_args(),
# KF_ARG_PTR_TO_IRQ_FLAG: "arg#0 doesn't point to an irq flag on stack").
	.cdecl
extern void bpf_local_irq_save(unsigned long *flags) __ksym;
unsigned long flags;
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	tc,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = flags ll
	call bpf_local_irq_save
	r0 = 0
	exit
	.size	prog, .-prog
