# FAIL: bpfasm %s -o %t
	.macro	m a
	r0 = \a
	exit
