# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# Balanced bpf_preempt_disable()/bpf_preempt_enable().
	.cdecl
extern void bpf_preempt_disable(void) __ksym;
extern void bpf_preempt_enable(void) __ksym;
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	tc,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	call bpf_preempt_disable
	call bpf_preempt_enable
	r0 = 0
	exit
	.size	prog, .-prog
