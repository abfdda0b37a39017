# RUN: bpfasm -g %s -o %t
# FAIL: bpflint --kernel 6.1 %t
# positive: 264 + 232 bytes: 288 + 256 = 544 with 6.1's 32-byte rounding (rejected there),
# 272 + 240 = 512 with 6.18's 16-byte rounding (accepted)
	.cdecl
static int sub(void);
char LICENSE[] SEC("license") = "GPL";
	.endcdecl

	.section	"xdp","ax",@progbits
	.globl	chain
	.type	chain,@function
chain:
	r1 = 0
	*(u64 *)(r10 - 264) = r1
	call sub
	r0 = 2
	exit
	.size	chain, .-chain

	.text
	.type	sub,@function
sub:
	r1 = 0
	*(u64 *)(r10 - 232) = r1
	r0 = 0
	exit
	.size	sub, .-sub
