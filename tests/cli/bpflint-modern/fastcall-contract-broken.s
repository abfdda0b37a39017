# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# bpf_fastcall: another instruction of the callee reads the slot of the spill/fill pattern, so
# the pair stays and the frames sum to 528 bytes (kernel/bpf/verifier.c:
# check_fastcall_stack_contract()).
	.section	raw_tp,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = 42
	*(u64 *)(r10 - 512) = r1
	call sub
	r0 = 0
	exit
	.size	prog, .-prog

	.text
	.type	sub,@function
sub:
	*(u64 *)(r10 - 8) = r1
	call 8
	r1 = *(u64 *)(r10 - 8)
	r0 = *(u64 *)(r10 - 8)
	exit
	.size	sub, .-sub

	.section	license,"aw",@progbits
	.globl	LICENSE
LICENSE:
	.asciz	"GPL"
