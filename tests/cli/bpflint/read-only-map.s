# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# writing to .rodata
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = limit ll
	r2 = 1
	*(u32 *)(r1 + 0) = r2
	r0 = 0
	exit
	.size	prog, .-prog
	.section	.rodata,"a",@progbits
	.globl	limit
limit:
	.long	10
	.section	license,"aw",@progbits
	.globl	_license
_license:
	.asciz	"GPL"
