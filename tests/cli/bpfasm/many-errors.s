# FAIL: bpfasm %s -o %t
	r1 = *(u8 *)(r2 + 1
	w1 = r2
	foo r1
	.long
	r0 = 1 +
	exit
