# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# A sleepable (syscall) program calls bpf_copy_from_user() (helper 148, which may sleep) with
# an RCU read-side section (kernel/bpf/verifier.c check_helper_call(): active_rcu_lock, "sleepable helper
# bpf_copy_from_user#148 in rcu_read_lock region").
	.cdecl
extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym;
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	syscall,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	call bpf_rcu_read_lock
	r1 = r10
	r1 += -8
	r2 = 8
	r3 = 0
	call 148
	call bpf_rcu_read_unlock
	r0 = 0
	exit
	.size	prog, .-prog
