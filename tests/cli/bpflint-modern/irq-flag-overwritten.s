# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# One byte of the saved interrupt state is overwritten before it is restored: the slot no longer
# holds an irq flag (kernel/bpf/verifier.c is_irq_flag_reg_valid_init(): "expected an
# initialized irq flag").
	.cdecl
extern void bpf_local_irq_save(unsigned long *flags) __ksym;
extern void bpf_local_irq_restore(unsigned long *flags) __ksym;
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	tc,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = r10
	r1 += -8
	call bpf_local_irq_save
	r1 = 255
	*(u8 *)(r10 - 6) = r1
	r1 = r10
	r1 += -8
	call bpf_local_irq_restore
	r0 = 0
	exit
	.size	prog, .-prog
