# FAIL: bpfasm %s -o %t
	.globl f g
f:
	exit
