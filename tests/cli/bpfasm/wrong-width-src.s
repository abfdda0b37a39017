# FAIL: bpfasm %s -o %t
	w1 += r2
