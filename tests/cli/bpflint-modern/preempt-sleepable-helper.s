# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# A sleepable (syscall) program calls bpf_copy_from_user() (helper 148, which may sleep) with
# preemption disabled (kernel/bpf/verifier.c check_helper_call(): active_preempt_locks, "sleepable helper
# bpf_copy_from_user#148 in non-preemptible region").
	.cdecl
extern void bpf_preempt_disable(void) __ksym;
extern void bpf_preempt_enable(void) __ksym;
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	syscall,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	call bpf_preempt_disable
	r1 = r10
	r1 += -8
	r2 = 8
	r3 = 0
	call 148
	call bpf_preempt_enable
	r0 = 0
	exit
	.size	prog, .-prog
