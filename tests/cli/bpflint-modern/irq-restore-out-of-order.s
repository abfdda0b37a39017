# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# Two nested bpf_local_irq_save() calls, then the outer flag restored first: only the most
# recent saved state may be restored (kernel/bpf/verifier.c release_irq_state(): "cannot
# restore irq state out of order").
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
	call bpf_local_irq_save
	r1 = r10
	r1 += -8
	call bpf_local_irq_restore
	r1 = r10
	r1 += -16
	call bpf_local_irq_restore
	r0 = 0
	exit
	.size	prog, .-prog
