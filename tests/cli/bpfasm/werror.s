# FAIL: bpfasm --Werror %s -o %t
	.cfi_startproc
	exit
	.cfi_endproc
