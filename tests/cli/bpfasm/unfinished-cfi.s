# FAIL: bpfasm %s -o %t
	.cfi_startproc
	exit
