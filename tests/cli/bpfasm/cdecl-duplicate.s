# FAIL: bpfasm %s -o %t
	.cdecl int counter;
	.cdecl long counter;
