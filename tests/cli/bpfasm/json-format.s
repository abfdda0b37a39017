# FAIL: bpfasm --message-format=json %s -o %t
	r1 += w2
	badinsn
