# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# a socket looked up and never released
	.section	tc,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r2 = r10
	r2 += -40
	r3 = 12
	r4 = 0
	r5 = 0
	call 84
	r0 = 0
	exit
	.size	prog, .-prog
	.section	license,"aw",@progbits
	.globl	_license
_license:
	.asciz	"GPL"
