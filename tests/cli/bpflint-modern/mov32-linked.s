# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# A 32-bit move of a value that fits in 32 bits links the two registers: bounding w2 bounds w3,
# and the read of the uninitialised r9 is dead (check_alu_op(): BPF_MOV32 with
# get_reg_width(src) <= 32 -> assign_scalar_id_before_mov(), sync_linked_regs()).
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	call 5
	*(u64 *)(r10 - 8) = r0
	r2 = *(u32 *)(r10 - 8)
	w3 = w2
	if w2 < 9 goto next
	r0 = 0
	exit
next:
	if w3 < 9 goto out
	r0 = *(u64 *)(r9 + 0)
out:
	r0 = 0
	exit
	.size	prog, .-prog
	.section	license,"aw",@progbits
	.globl	LICENSE
LICENSE:
	.asciz	"GPL"
