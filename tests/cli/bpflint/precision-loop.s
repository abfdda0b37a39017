# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# 2^20 values of the result, one loop counter: only the counter is compared by value (the
# loop exit depends on it), the result is never checked, so states that differ only in it
# prune each other (the kernel's precision tracking; without it: 1M instructions, rejected)
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	w2 = 0
	w3 = 0
	goto cond
body:
	w0 |= w3
	w2 += 1
	w3 = w0
	if w2 != 20 goto cond
	exit
cond:
	r4 = *(u32 *)(r1 + 0)
	w0 = 0
	if w4 == 0 goto body
	w0 = 1
	w0 <<= w2
	goto body
	.size	prog, .-prog
	.section	license,"aw",@progbits
	.globl	_license
_license:
	.asciz	"GPL"
