# FAIL: bpfasm %s -o %t
	.cdecl struct task { int pid; int tgid; };
	.data
	.long offsetof(struct task, tgid)
