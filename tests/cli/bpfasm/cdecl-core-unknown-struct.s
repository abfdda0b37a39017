# FAIL: bpfasm %s -o %t
	.cdecl int x;
	.text
f:
	r1 = *(u32 *)(r1 + offsetof(struct task_struct, pid))
	exit
