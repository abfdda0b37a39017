# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# shift by the operand width
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r0 = 1
	r0 <<= 64
	exit
	.size	prog, .-prog
	.section	license,"aw",@progbits
	.globl	_license
_license:
	.asciz	"GPL"
