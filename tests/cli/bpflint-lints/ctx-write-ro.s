# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# positive: tc programs may not write skb->len
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl

	.section	"tc","ax",@progbits
	.globl	write_len
	.type	write_len,@function
write_len:
	r2 = 0
	*(u32 *)(r1 + 0) = r2
	r0 = 0
	exit
	.size	write_len, .-write_len
