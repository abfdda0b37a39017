# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# a loop that never changes state
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r0 = 0
	l:
	if r0 == 0 goto l
	exit
	.size	prog, .-prog
	.section	license,"aw",@progbits
	.globl	_license
_license:
	.asciz	"GPL"
