# FAIL: bpfasm %s -o %t
	.cdecl extern int CONFIG_HZ __kconfig;
	.data
CONFIG_HZ:
	.long 250
