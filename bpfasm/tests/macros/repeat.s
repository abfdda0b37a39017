# .rept (plain and with `\()`), .irp, .irpc, nested repetitions.
	.text
	.rept	3
	r1 += 1
	.endr
	.rept	2
	r2\() = 2
	.endr
	.rept	0
	r3 = 3
	.endr
	.irp	reg, 1, 2 3, 4
	r\reg = \reg
	.endr
	.irpc	n, 5678
	r\n = -\n
	.endr
	.rept	2
	.irp	x, 6, 7
	w\x = \x
	.endr
	.endr
	.irp	v, 0x10, 0x20
	.long	\v
	.endr
	exit
	.data
	.rept	4
	.byte	0xaa
	.endr
	.irpc	c, abc
	.ascii	"\c"
	.endr
