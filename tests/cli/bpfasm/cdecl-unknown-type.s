# FAIL: bpfasm %s -o %t
	.cdecl u31 counter;
