# FAIL: bpfasm %s -o %t
	r1 += 0x1ffffffff
