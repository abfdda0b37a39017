# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# pointers spill to the stack only as 8 bytes
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	*(u32 *)(r10 - 8) = r10
	r0 = 0
	exit
	.size	prog, .-prog
	.section	license,"aw",@progbits
	.globl	_license
_license:
	.asciz	"GPL"
