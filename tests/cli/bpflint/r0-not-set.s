# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# exit without setting the return value
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	exit
	.size	prog, .-prog
	.section	license,"aw",@progbits
	.globl	_license
_license:
	.asciz	"GPL"
