# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# The program ends with interrupts still disabled (kernel/bpf/verifier.c check_resource_leak():
# "BPF_EXIT instruction in main prog cannot be used inside bpf_local_irq_save-ed region").
	.cdecl
extern void bpf_local_irq_save(unsigned long *flags) __ksym;
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	tc,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = r10
	r1 += -8
	call bpf_local_irq_save
	r0 = 0
	exit
	.size	prog, .-prog
