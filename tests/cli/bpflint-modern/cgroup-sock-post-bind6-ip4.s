# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# A post_bind6 program may read src_ip6 and src_port but not src_ip4 (net/core/filter.c
# __sock_filter_check_attach_type(): src_ip4 is for post_bind4 only).
	.section	cgroup/post_bind6,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r2 = *(u32 *)(r1 + 28)
	r2 = *(u16 *)(r1 + 44)
	r2 = *(u32 *)(r1 + 24)
	r0 = 1
	exit
	.section	license,"aw"
	.asciz	"GPL"
