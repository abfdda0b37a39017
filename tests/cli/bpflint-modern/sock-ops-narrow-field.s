# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# bpf_sock_ops fields are read whole (net/core/filter.c sock_ops_is_valid_access(): the
# default case wants size == 4); the 2-byte read of remote_port is refused.
	.section	sockops,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r2 = *(u16 *)(r1 + 64)
	r0 = 1
	exit
	.section	license,"aw"
	.asciz	"GPL"
