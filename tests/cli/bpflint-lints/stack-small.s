# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# RUN: bpflint --report stack %t
# negative: 64 bytes and an inlined bpf_loop
	.cdecl
static long cb(__u32 i, void *ctx);
char LICENSE[] SEC("license") = "GPL";
	.endcdecl

	.section	"xdp","ax",@progbits
	.globl	small
	.type	small,@function
small:
	r1 = 0
	*(u64 *)(r10 - 64) = r1
	r1 = 4
	r2 = cb ll
	r3 = 0
	r4 = 0
	call 181				# bpf_loop
	r0 = 2
	exit
	.size	small, .-small

	.text
	.type	cb,@function
cb:
	r0 = 0
	exit
	.size	cb, .-cb
