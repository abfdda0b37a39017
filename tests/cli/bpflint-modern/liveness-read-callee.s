# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# Stack liveness across frames: a subprogram reads the caller's fp-8 slot through a pointer, so
# the read marks the caller's slot in the states saved before the call, and the state saved at
# the join (a context pointer there) does not cover the path that stored a scalar
# (kernel/bpf/verifier.c: mark_reg_read() on the frame the pointer points into).
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
	r1 = r10
	r1 += -8
	call read_len
	r0 = 0
	exit
	.size	prog, .-prog

	.text
	.type	read_len,@function
read_len:
	r2 = *(u64 *)(r1 + 0)
	r0 = *(u32 *)(r2 + 0)
	exit
	.size	read_len, .-read_len
	.section	license,"aw",@progbits
	.globl	LICENSE
LICENSE:
	.asciz	"GPL"
