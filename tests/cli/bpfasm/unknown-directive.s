# FAIL: bpfasm %s -o %t
	.globle f
f:
	exit
