# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# A 64-bit load-acquire from a stack address that is not 8-byte aligned: atomic accesses are
# always strictly aligned (raw word: `r0 = load_acquire((u64 *)(r10 - 12))`) (Linux 6.15+:
# kernel/bpf/verifier.c check_atomic_load(), check_load_mem() with strict alignment).
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = 0
	*(u64 *)(r10 - 16) = r1
	*(u64 *)(r10 - 8) = r1
	.8byte 0x00000100fff4a0db
	exit
	.size	prog, .-prog
