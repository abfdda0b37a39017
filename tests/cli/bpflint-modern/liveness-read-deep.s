# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# Stack liveness: the fp-8 slot is read three pruning points after the join, so the state saved
# at the join (holding the context pointer there) must not cover the path that stored a scalar:
# the read marks the slot in every saved state back to the last whole-slot write
# (kernel/bpf/verifier.c: mark_reg_read(), stacksafe()).
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r9 = r1
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
	r2 = *(u64 *)(r10 - 8)
	r0 = *(u32 *)(r2 + 0)
	r0 = 0
	exit
	.size	prog, .-prog
	.section	license,"aw",@progbits
	.globl	LICENSE
LICENSE:
	.asciz	"GPL"
