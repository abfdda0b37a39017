# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# a register read before it is written
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r0 = r2
	exit
	.size	prog, .-prog
	.section	license,"aw",@progbits
	.globl	_license
_license:
	.asciz	"GPL"
