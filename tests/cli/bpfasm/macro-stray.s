# FAIL: bpfasm %s -o %t
	.endm
	.endif
	.else
	.endr
	.elseif	1
	.exitm
	.if	0
	.else
	.else
	.endif
	exit
