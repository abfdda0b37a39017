# FAIL: bpfasm %s -o %t
	.cdecl void nothing[4];
