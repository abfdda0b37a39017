# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# dead code after exit
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r0 = 0
	exit
	r0 = 1
	exit
	.size	prog, .-prog
	.section	license,"aw",@progbits
	.globl	_license
_license:
	.asciz	"GPL"
