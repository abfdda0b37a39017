# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# write below the 512-byte stack
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = 0
	*(u64 *)(r10 - 520) = r1
	r0 = 0
	exit
	.size	prog, .-prog
	.section	license,"aw",@progbits
	.globl	_license
_license:
	.asciz	"GPL"
