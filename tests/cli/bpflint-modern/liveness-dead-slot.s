# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# Stack liveness: the fp-8 slot differs at the join (a context pointer or a scalar) but nothing
# reads it again, so the state saved at the join covers the second path there and the kernel
# prunes it: the processed count is the kernel's (kernel/bpf/verifier.c: stacksafe() skips a
# slot without REG_LIVE_READ).
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r9 = r1
	r1 = 0
	*(u64 *)(r10 - 16) = r1
	call 7
	r6 = r0
	*(u64 *)(r10 - 8) = r9
	if r6 == 0 goto bad
	goto join
bad:
	r1 = 0
	*(u64 *)(r10 - 8) = r1
join:
	r7 = r6
	r7 += 1
	r7 += 1
	r7 += 1
	r7 += 1
	r7 += 1
	r7 += 1
	r7 += 1
	r7 += 1
	if r6 > 1 goto j2
	r7 += 1
j2:
	r7 += 1
	r7 += 1
	r7 += 1
	r7 += 1
	r7 += 1
	r7 += 1
	r7 += 1
	r7 += 1
	if r6 > 2 goto j3
	r7 += 1
j3:
	r7 += 1
	r7 += 1
	r7 += 1
	r7 += 1
	r7 += 1
	r7 += 1
	r7 += 1
	r7 += 1
	if r6 > 3 goto j4
	r7 += 1
j4:
	r2 = *(u64 *)(r10 - 16)
	r0 = r2
	r0 = 0
	exit
	.size	prog, .-prog
	.section	license,"aw",@progbits
	.globl	LICENSE
LICENSE:
	.asciz	"GPL"
