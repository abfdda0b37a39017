# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# socket filters cannot read skb->data
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r0 = *(u32 *)(r1 + 76)
	exit
	.size	prog, .-prog
	.section	license,"aw",@progbits
	.globl	_license
_license:
	.asciz	"GPL"
