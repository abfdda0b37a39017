# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# r10 is read only
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r10 += 8
	r0 = 0
	exit
	.size	prog, .-prog
	.section	license,"aw",@progbits
	.globl	_license
_license:
	.asciz	"GPL"
