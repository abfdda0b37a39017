# FAIL: bpfasm %s -o %t
	.cdecl int counter __attribute__((frobnicate));
