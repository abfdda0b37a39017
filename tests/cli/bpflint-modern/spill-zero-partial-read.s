# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# A zero stored as a whole slot is a spill of a zero register; any byte read from it is zero
# (check_stack_read_fixed_off(): a partial fill of a spilled constant zero, and of STACK_ZERO
# bytes, gives a known zero), so the read of the uninitialised r9 is dead.
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	*(u64 *)(r10 - 8) = 0
	r2 = *(u8 *)(r10 - 1)
	if r2 == 0 goto next
	r0 = *(u64 *)(r9 + 0)
next:
	r3 = 0
	*(u64 *)(r10 - 16) = r3
	r2 = *(u16 *)(r10 - 10)
	if r2 == 0 goto out
	r0 = *(u64 *)(r9 + 0)
out:
	r0 = 0
	exit
	.size	prog, .-prog
	.section	license,"aw",@progbits
	.globl	LICENSE
LICENSE:
	.asciz	"GPL"
