# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# FAIL: bpflint --message-format json %t
# FAIL: bpflint --message-format sarif %t
# RUN: bpflint --report stack %t
# positive: a 496-byte frame calling bpf_loop with a constant callback and flags 0: the verifier
# checks 496 (+0 for the callback), then inlining adds 24 bytes: 520 at run time (6.18 accepts)
	.cdecl
static long cb(__u32 i, void *ctx);
char LICENSE[] SEC("license") = "GPL";
	.endcdecl

	.section	"xdp","ax",@progbits
	.globl	loop496
	.type	loop496,@function
loop496:
	r1 = 0
	*(u64 *)(r10 - 496) = r1
	r1 = 4
	r2 = cb ll
	r3 = 0
	r4 = 0
	call 181				# bpf_loop
	r0 = 2
	exit
	.size	loop496, .-loop496

	.text
	.type	cb,@function
cb:
	r0 = 0
	exit
	.size	cb, .-cb
