# FAIL: bpfasm %s -o %t
	goto +40000
