# FAIL: bpfasm %s -o %t
# An error inside nested expansions points at the body line and at every use.
	.macro	set_reg n, v
	r\n = \v
	.endm
	.macro	init n
	set_reg \n, 0
	.endm
	init	1
	init	11
	.irp	r, 3, 12
	r\r = 1
	.endr
	.macro	m
	.endm
	.macro	m
	.endm
	.rept	-1
	.endr
	.if	undefined_symbol
	.endif
