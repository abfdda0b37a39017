# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# negative: tc programs may write skb->mark
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl

	.section	"tc","ax",@progbits
	.globl	write_mark
	.type	write_mark,@function
write_mark:
	r2 = 1
	*(u32 *)(r1 + 8) = r2
	r0 = 0
	exit
	.size	write_mark, .-write_mark
