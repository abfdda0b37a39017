# FAIL: bpfasm %s -o %t
	.data
	.byte 256
