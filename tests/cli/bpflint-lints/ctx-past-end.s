# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# positive: xdp_md is 24 bytes
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl

	.section	"xdp","ax",@progbits
	.globl	past_end
	.type	past_end,@function
past_end:
	r0 = *(u32 *)(r1 + 24)
	r0 = 2
	exit
	.size	past_end, .-past_end
