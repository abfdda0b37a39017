# FAIL: bpfasm %s -o %t
	.include "no-such-file.inc"
	exit
