# FAIL: bpfasm %s -o %t
	.data
	.short ext
