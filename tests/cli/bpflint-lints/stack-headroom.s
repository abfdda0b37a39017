# RUN: bpfasm -g %s -o %t
# FAIL: bpflint --stack-headroom 64 %t
# positive: 480 bytes leave 32 bytes, less than the 64 asked for
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl

	.section	"xdp","ax",@progbits
	.globl	frame480
	.type	frame480,@function
frame480:
	r1 = 0
	*(u64 *)(r10 - 480) = r1
	r0 = 2
	exit
	.size	frame480, .-frame480
