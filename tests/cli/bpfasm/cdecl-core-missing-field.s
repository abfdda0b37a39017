# FAIL: bpfasm %s -o %t
	.cdecl struct task { int pid; int tgid; };
	.text
f:
	r1 = *(u32 *)(r1 + offsetof(struct task, tigd))
	exit
