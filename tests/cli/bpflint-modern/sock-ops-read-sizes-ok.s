# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# bpf_sock_ops reads the kernel allows (net/core/filter.c sock_ops_is_valid_access()): u32
# fields whole, bytes_received as a u64, and skb_tcp_flags also narrow at its start.
	.section	sockops,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r2 = *(u32 *)(r1 + 4)
	r2 = *(u32 *)(r1 + 64)
	r2 = *(u64 *)(r1 + 168)
	r2 = *(u8 *)(r1 + 212)
	r2 = *(u16 *)(r1 + 212)
	r2 = *(u32 *)(r1 + 212)
	r0 = 1
	exit
	.section	license,"aw"
	.asciz	"GPL"
