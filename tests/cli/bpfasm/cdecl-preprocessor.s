# FAIL: bpfasm %s -o %t
	.cdecl
#define MAX 16
int table[MAX];
	.endcdecl
