# FAIL: bpfasm %s -o %t
	.data
	.ascii "a\q"
