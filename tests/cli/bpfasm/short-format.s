# FAIL: bpfasm --message-format=short %s -o %t
	r1 += w2
	badinsn
