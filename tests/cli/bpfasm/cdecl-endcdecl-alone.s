# FAIL: bpfasm %s -o %t
	.endcdecl
