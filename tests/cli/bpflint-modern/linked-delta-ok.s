# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# r1 = r0 + 1 stays linked to r0 by its delta: bounding r0 to [0, 8] bounds r1 to [1, 9], and
# fp-10 + r1 stays inside the stack (kernel/bpf/verifier.c: BPF_ADD_CONST in
# adjust_reg_min_max_vals(), sync_linked_regs()).
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

out:
	r0 = 0
	exit
	.size	prog, .-prog
	.section	license,"aw",@progbits
	.globl	LICENSE
LICENSE:
	.asciz	"GPL"
