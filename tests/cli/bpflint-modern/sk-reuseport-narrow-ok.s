# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# sk_reuseport_md narrow reads the kernel allows (net/core/filter.c
# sk_reuseport_is_valid_access()): eth_protocol in 2-byte halves, ip_protocol/bind_inany/len
# in any narrow size, hash as a whole u32.
	.section	sk_reuseport,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r2 = *(u16 *)(r1 + 20)
	r2 = *(u16 *)(r1 + 22)
	r2 = *(u8 *)(r1 + 24)
	r2 = *(u8 *)(r1 + 29)
	r2 = *(u16 *)(r1 + 18)
	r2 = *(u32 *)(r1 + 32)
	r0 = 0
	exit
	.section	license,"aw"
	.asciz	"GPL"
