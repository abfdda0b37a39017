# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# A load-acquire through the context pointer (raw word: `r0 = load_acquire((u32 *)(r1 + 0))`)
# (Linux 6.15+: kernel/bpf/verifier.c check_atomic_load(), atomic_ptr_type_ok(): "BPF_ATOMIC
# loads from R1 ctx is not allowed").
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r2 = 0
	.8byte 0x00000100000010c3
	r0 = 0
	exit
	.size	prog, .-prog
