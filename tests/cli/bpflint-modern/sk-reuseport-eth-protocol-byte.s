# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# sk_reuseport_md's eth_protocol may be read narrow, but not below the size of
# skb->protocol (net/core/filter.c sk_reuseport_is_valid_access(): size <
# sizeof_field(struct sk_buff, protocol) is refused); the 1-byte read is refused.
	.section	sk_reuseport,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r2 = *(u8 *)(r1 + 20)
	r0 = 0
	exit
	.section	license,"aw"
	.asciz	"GPL"
