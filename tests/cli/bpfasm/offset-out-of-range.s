# FAIL: bpfasm %s -o %t
	r1 = *(u64 *)(r10 - 40000)
