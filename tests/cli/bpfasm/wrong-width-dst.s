# FAIL: bpfasm %s -o %t
	r1 = *(u8 *)(w2 + 1)
