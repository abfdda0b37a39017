# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# a helper number the kernel does not know
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	call 999
	r0 = 0
	exit
	.size	prog, .-prog
	.section	license,"aw",@progbits
	.globl	_license
_license:
	.asciz	"GPL"
