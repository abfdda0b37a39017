# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# A 9-bit value spilled with a byte store does not fit: the spill loses the id, the fill says
# nothing about r0, and the path that reads the uninitialised r9 is live (get_reg_width() >
# the store's bits in check_stack_write_fixed_off()).
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	call 7
	r0 &= 0x100
	*(u8 *)(r10 - 8) = r0
	r1 = *(u8 *)(r10 - 8)
	r2 = 0
	if r1 != r2 goto out
	if r0 == r2 goto out
	r0 = *(u64 *)(r9 + 0)
out:
	r0 = 0
	exit
	.size	prog, .-prog
	.section	license,"aw",@progbits
	.globl	LICENSE
LICENSE:
	.asciz	"GPL"
