# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# A byte-sized value spilled with a byte store is still a spill: the fill shares its id with
# the register, so learning the fill is 0 teaches that r0 is 0 too and the read of the
# uninitialised r9 is dead (kernel/bpf/verifier.c: check_stack_write_fixed_off(),
# save_register_state(), check_stack_read_fixed_off()).
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	call 7
	r0 &= 0x80
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
