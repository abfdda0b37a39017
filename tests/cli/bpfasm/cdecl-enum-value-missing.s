# FAIL: bpfasm %s -o %t
	.cdecl enum color { RED, GREEN };
	.text
f:
	r0 = bpf_core_enum_value(enum color, BLUE)
	exit
