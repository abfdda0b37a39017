# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# dereferencing a number
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = 0
	r0 = *(u32 *)(r1 + 0)
	exit
	.size	prog, .-prog
	.section	license,"aw",@progbits
	.globl	_license
_license:
	.asciz	"GPL"
