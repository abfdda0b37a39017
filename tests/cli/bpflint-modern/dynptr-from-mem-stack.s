# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# bpf_dynptr_from_mem() takes map values only, not stack memory (kernel/bpf/verifier.c
# check_helper_call(), BPF_FUNC_dynptr_from_mem).
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	raw_tp,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = 0
	*(u64 *)(r10 - 8) = r1
	r1 = r10
	r1 += -8
	r2 = 8
	r3 = 0
	r4 = r10
	r4 += -24
	call 197
	r0 = 0
	exit
	.size	prog, .-prog
