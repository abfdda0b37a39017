# FAIL: bpfasm %s -o %t
	.cdecl struct later;
	.text
f:
	r0 = sizeof(struct later)
	exit
