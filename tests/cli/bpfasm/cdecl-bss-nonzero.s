# FAIL: bpfasm %s -o %t
	.cdecl int limit SEC(".bss") = 10;
