# FAIL: bpfasm %s -o %t
f:
	r0 = 0
f:
	exit
