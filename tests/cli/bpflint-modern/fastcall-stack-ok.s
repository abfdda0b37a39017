# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# bpf_fastcall: the spill and fill of r1 around bpf_get_smp_processor_id() (which the kernel
# inlines on x86-64) are removed with their stack slot, so the callee's frame is empty and the
# 512-byte caller still fits (kernel/bpf/verifier.c: mark_fastcall_pattern_for_call(),
# remove_fastcall_spills_fills() before check_max_stack_depth()).
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
	exit
	.size	sub, .-sub

	.section	license,"aw",@progbits
	.globl	LICENSE
LICENSE:
	.asciz	"GPL"
