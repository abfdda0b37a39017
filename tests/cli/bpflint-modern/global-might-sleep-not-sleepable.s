# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# A program that cannot sleep (tc) calls a global function that may sleep: its
# bpf_copy_from_user() (helper 148) is on a branch this call never takes, but might_sleep is a
# property of the function's code (kernel/bpf/verifier.c check_func_call(): might_sleep and
# in_sleepable()).
	.cdecl
int maybe_copy(int i);
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	tc,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = 0
	call maybe_copy
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
