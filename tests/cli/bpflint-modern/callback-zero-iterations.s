# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# bpf_loop() may call its callback no time at all: after the call the counter is either the
# callback's 0 or the caller's 32, and fp-16 + 32 is outside the stack. The kernel verifies the
# callback as a loop body: the path after the call starts from the state before any iteration
# (kernel/bpf/verifier.c: push_callback_call(), prepare_func_exit() back to the call site).
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
