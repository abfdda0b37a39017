# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# r2 = r0 + 2 is bounded to [2, 10] by the same test on r0: fp-10 + r2 reaches fp+0, one byte
# past the top of the stack (the delta-linked bound is exact, not widened).
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	call 5
	r1 = r0
	r2 = r0
	r1 += 1
	r2 += 2
	if r0 > 8 goto out
	r6 = r10
	r6 += -10
	r6 += r1
	*(u8 *)(r6 + 0) = r0
	r7 = r10
	r7 += -10
	r7 += r2
	*(u8 *)(r7 + 0) = r0
out:
	r0 = 0
	exit
	.size	prog, .-prog
	.section	license,"aw",@progbits
	.globl	LICENSE
LICENSE:
	.asciz	"GPL"
