# FAIL: bpfasm %s -o %t
	r1 = 0x123456789
	exit
