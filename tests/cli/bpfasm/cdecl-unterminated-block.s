# FAIL: bpfasm %s -o %t
	.cdecl
struct point { int x; int y; };
	exit
