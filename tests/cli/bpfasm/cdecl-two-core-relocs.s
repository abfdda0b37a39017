# FAIL: bpfasm %s -o %t
	.cdecl struct task { int pid; int tgid; };
	.text
f:
	*(u32 *)(r1 + bpf_core_field_offset(struct task, tgid)) = bpf_core_field_size(struct task, pid)
	exit
