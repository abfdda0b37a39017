# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# stack accesses must be aligned
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = 0
	*(u32 *)(r10 - 6) = r1
	r0 = 0
	exit
	.size	prog, .-prog
	.section	license,"aw",@progbits
	.globl	_license
_license:
	.asciz	"GPL"
