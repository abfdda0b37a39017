# FAIL: bpfasm %s -o %t
	.macro	m
	.if	1
	.endm
	m
	.if	1
	r0 = 1
	.ifdef	X
	r0 = 2
	.else
	exit
