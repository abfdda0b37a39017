# FAIL: bpfasm %s -o %t
	.p2align 99
	exit
