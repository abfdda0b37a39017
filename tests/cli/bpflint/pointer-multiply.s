# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# multiplying a pointer
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 *= 2
	r0 = 0
	exit
	.size	prog, .-prog
	.section	license,"aw",@progbits
	.globl	_license
_license:
	.asciz	"GPL"
