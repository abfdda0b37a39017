# Macros with named, default and required parameters, `\@`, labels made from arguments.
	.macro	load dst:req, base, off=0, size=u32
	\dst = *(\size *)(\base + \off)
	.endm
	.macro	zero reg
	\reg = 0
	.endm
	.macro	label_here name
\name\()_\@:
	r0 = \@
	.endm

	.text
	.globl	prog
	.type	prog,@function
prog:
	load	r1, r2
	load	r3, r4, 8
	load	base=r6, dst=r5, size=u64
	load	r7 r8 16 u16
	zero	r9
	zero	w9
	label_here L
	label_here L
lbl:	zero r2
	r0 = 1 + 2 * 3
	exit
	.size	prog, .-prog
