# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# Nested bpf_local_irq_save() calls restored innermost first, the inner pair inside a static
# subprogram that returns with interrupts disabled (kernel/bpf/verifier.c process_irq_flag(),
# check_resource_leak(): only the main program's exit must have restored them).
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
	r1 = r10
	r1 += -16
	call save
	r1 = r10
	r1 += -16
	call bpf_local_irq_restore
	r1 = r10
	r1 += -8
	call bpf_local_irq_restore
	r0 = 0
	exit
	.size	prog, .-prog

	.text
	.type	save,@function
save:
	call bpf_local_irq_save
	r0 = 0
	exit
	.size	save, .-save
