# FAIL: bpfasm %s -o %t
	r1 = counter
	exit
	.data
counter:
	.quad 0
