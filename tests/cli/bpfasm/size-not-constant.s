# FAIL: bpfasm %s -o %t
	.globl f
f:
	exit
	.size f, ext
