# RUN: bpfasm -g %s -o %t
# RUN: bpflint --kernel 6.18 %t
# negative: the chain of stack-chain-61.s on 6.18: exactly 512
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
