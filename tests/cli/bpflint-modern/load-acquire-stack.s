# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# A store-release of a byte and a load-acquire of it from the stack (Linux 6.15+: BPF_STX |
# BPF_ATOMIC | BPF_B with imm BPF_STORE_REL 0x110 and BPF_LOAD_ACQ 0x100, written as raw words:
# `*(u8 *)(r10 - 8) = r1` release, `r0 = *(u8 *)(r10 - 8)` acquire) (kernel/bpf/verifier.c
# check_atomic_store(), check_atomic_load()).
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = 7
	.8byte 0x00000110fff81ad3
	.8byte 0x00000100fff8a0d3
	exit
	.size	prog, .-prog
