# Macros that define macros, .include in a macro, a label before .rept, `;` bodies, `\@` in
# nested uses, a macro named like a directive, empty .irp lists, .exitm leaving a .rept.
	.macro	def name, val
	.macro	\name
	r0 = \val
	.endm
	.endm
	def	five, 5
	five
	.macro	withinc
	.include "included.inc"
	.endm
	withinc
foo:	.rept 2
	r1 = 1
	.endr
	.rept 2; r2 = 2; .endr
	.macro	outer
	r3 = \@
	inner
	r3 = \@
	.endm
	.macro	inner
	r4 = \@
	.endm
	outer
	outer
	.macro	cnt a, b
	.byte	\a, \b
	.endm
	.data
	cnt	"1" , 2
	.irp	x,
	.byte	1\x
	.endr
	.macro	.mybyte v
	.byte	\v
	.endm
	.mybyte	7
	.macro	exitrept
	.rept	3
	.byte	8
	.exitm
	.endr
	.byte	9
	.endm
	exitrept
