# FAIL: bpfasm %s -o %t
a:
	exit
	.data
b:
	.long b - a
