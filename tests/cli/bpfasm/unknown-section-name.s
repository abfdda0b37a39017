# RUN: bpfasm %s -o %t
	.section "kprob/do_sys_open","ax",@progbits
	.globl f
f:
	r0 = 0
	exit
