# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# A size of 0 does not excuse the pointer: a stack pointer that may point at or above the frame
# pointer is refused even for an empty read (check_mem_size_reg() calls
# check_helper_mem_access() for any size; check_stack_access_within_bounds()).
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r0 = 0
	*(u64 *)(r10 - 16) = r0
	*(u64 *)(r10 - 8) = r0
	r1 = *(u32 *)(r1 + 0)
	r1 &= 63
	r1 += -16
	r1 += r10
	r2 = 0
	r3 = 0
	call 113
	r0 = 0
	exit
	.size	prog, .-prog
	.section	license,"aw",@progbits
	.globl	LICENSE
LICENSE:
	.asciz	"GPL"
