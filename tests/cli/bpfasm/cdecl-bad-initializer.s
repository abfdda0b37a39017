# FAIL: bpfasm %s -o %t
	.cdecl int limit = "ten";
