# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# negative: 496 bytes, but bpf_loop's flags are not 0: the call is not inlined, no slots are added
	.cdecl
static long cb(__u32 i, void *ctx);
char LICENSE[] SEC("license") = "GPL";
	.endcdecl

	.section	"xdp","ax",@progbits
	.globl	loopflags
	.type	loopflags,@function
loopflags:
	r1 = 0
	*(u64 *)(r10 - 496) = r1
	r1 = 4
	r2 = cb ll
	r3 = 0
	r4 = 1
	call 181				# bpf_loop
	r0 = 2
	exit
	.size	loopflags, .-loopflags

	.text
	.type	cb,@function
cb:
	r0 = 0
	exit
	.size	cb, .-cb
