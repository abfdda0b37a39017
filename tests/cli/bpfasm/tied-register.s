# FAIL: bpfasm %s -o %t
	r1 = -r2
