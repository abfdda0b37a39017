# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# bpf_fastcall with a kfunc: bpf_cast_to_kern_ctx() is KF_FASTCALL, so the r2 spill/fill around
# it goes with its slot and the 512-byte caller still fits (measured on 6.18; kernel/bpf/verifier.c:
# kfunc_fastcall_clobber_mask(), is_fastcall_kfunc_call()).
	.cdecl
extern void *bpf_cast_to_kern_ctx(void *obj) __ksym;
	.endcdecl
	.section	tc,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r6 = r1
	r1 = 42
	*(u64 *)(r10 - 512) = r1
	r1 = r6
	call sub
	r0 = 0
	exit
	.size	prog, .-prog

	.text
	.type	sub,@function
sub:
	r2 = 0
	*(u64 *)(r10 - 8) = r2
	call bpf_cast_to_kern_ctx
	r2 = *(u64 *)(r10 - 8)
	exit
	.size	sub, .-sub

	.section	license,"aw",@progbits
	.globl	LICENSE
LICENSE:
	.asciz	"GPL"
