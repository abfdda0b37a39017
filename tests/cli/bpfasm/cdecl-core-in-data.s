# FAIL: bpfasm %s -o %t
	.cdecl struct task { int pid; int tgid; };
	.data
	.long bpf_core_field_offset(struct task, tgid)
