# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# The same loop with the counter checked after the call: both the no-iteration (32) and the
# iterated (0) values are handled.
	.cdecl
static long cb(__u32 i, void *ctx);
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = 32
	*(u64 *)(r10 - 8) = r1
	r1 = 0
	*(u64 *)(r10 - 16) = r1
	r1 = 100
	r2 = cb ll
	r3 = r10
	r3 += -8
	r4 = 0
	call 181
	r1 = *(u64 *)(r10 - 8)
	if r1 > 8 goto out
	r2 = r10
	r2 += -16
	r2 += r1
	r0 = *(u8 *)(r2 + 0)
	exit
out:
	r1 = 0
	r2 = r10
	r2 += -16
	r2 += r1
	r0 = *(u8 *)(r2 + 0)
	exit
	.size	prog, .-prog

	.text
	.type	cb,@function
cb:
	r0 = 0
	*(u64 *)(r2 + 0) = r0
	exit
	.size	cb, .-cb
