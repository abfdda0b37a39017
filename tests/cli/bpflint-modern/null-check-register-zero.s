# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# A NULL check must compare with the immediate 0: comparing the hash lookup's result with a
# register that holds 0 teaches the kernel nothing (check_cond_jmp_op(): the NULL inference is
# for BPF_K with imm 0), so r0 may still be NULL where it is read.
	.cdecl
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, long);
} m SEC(".maps");
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = 0
	*(u32 *)(r10 - 4) = r1
	r2 = r10
	r2 += -4
	r1 = m ll
	call 1
	r1 = 0
	if r0 != r1 goto use
	r0 = 0
	exit
use:
	r0 = *(u64 *)(r0 + 0)
	r0 = 0
	exit
	.size	prog, .-prog
