# FAIL: bpfasm %s -o %t
	goto far
	.zero 400000
far:
	exit
