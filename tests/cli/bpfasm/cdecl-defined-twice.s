# FAIL: bpfasm %s -o %t
	.cdecl int limit = 10;
	.data
limit:
	.long 10
