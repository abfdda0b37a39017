# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# falling off the end of the program
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r0 = 0
	r0 += 1
	.size	prog, .-prog
	.section	license,"aw",@progbits
	.globl	_license
_license:
	.asciz	"GPL"
