# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# bpf_fastcall: a spill/fill pattern around a call the kernel does not inline
# (bpf_ktime_get_ns()) keeps the subprogram's fastcall stack, so the frames sum to 528 bytes
# (kernel/bpf/verifier.c: mark_fastcall_pattern_for_call() keep_fastcall_stack).
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
	*(u64 *)(r10 - 8) = r1
	call 5
	r1 = *(u64 *)(r10 - 8)
	exit
	.size	sub, .-sub

	.section	license,"aw",@progbits
	.globl	LICENSE
LICENSE:
	.asciz	"GPL"
