# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# sk_reuseport_md's hash is read only as a whole u32 (net/core/filter.c
# sk_reuseport_is_valid_access(): an exact `case offsetof(hash)` with size == 4); the
# 2-byte read is refused.
	.section	sk_reuseport,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r2 = *(u16 *)(r1 + 32)
	r0 = 0
	exit
	.section	license,"aw"
	.asciz	"GPL"
