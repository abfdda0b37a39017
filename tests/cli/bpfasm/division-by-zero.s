# FAIL: bpfasm %s -o %t
	r1 = 4 / 0
	exit
