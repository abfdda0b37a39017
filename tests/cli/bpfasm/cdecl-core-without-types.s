# FAIL: bpfasm %s -o %t
	.text
f:
	r1 = *(u32 *)(r1 + offsetof(struct task, pid))
	exit
