# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# A global function that may sleep (bpf_copy_from_user(), helper 148, on a branch this call never takes) is
# called with interrupts disabled: might_sleep is a property of the function's code, not of
# the path (kernel/bpf/verifier.c check_func_call(): might_sleep and active_irq_id).
	.cdecl
extern void bpf_local_irq_save(unsigned long *flags) __ksym;
extern void bpf_local_irq_restore(unsigned long *flags) __ksym;
int maybe_copy(int i);
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	syscall,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = r10
	r1 += -8
	call bpf_local_irq_save
	r1 = 0
	call maybe_copy
	r1 = r10
	r1 += -8
	call bpf_local_irq_restore
	r0 = 0
	exit
	.size	prog, .-prog

	.text
	.globl	maybe_copy
	.type	maybe_copy,@function
maybe_copy:
	r0 = 0
	if r1 == 0 goto out
	r1 = r10
	r1 += -8
	r2 = 8
	r3 = 0
	call 148
	r0 = 0
out:
	exit
	.size	maybe_copy, .-maybe_copy
