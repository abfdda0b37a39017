# FAIL: bpfasm %s -o %t
	.rept	2
	r0 = 1
