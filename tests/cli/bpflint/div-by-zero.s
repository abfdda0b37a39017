# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# division by the constant zero
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r0 = 1
	r0 /= 0
	exit
	.size	prog, .-prog
	.section	license,"aw",@progbits
	.globl	_license
_license:
	.asciz	"GPL"
