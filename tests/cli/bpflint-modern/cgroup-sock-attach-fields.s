# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# Which struct bpf_sock fields a cgroup/sock program may touch depends on its attach type
# (net/core/filter.c __sock_filter_check_attach_type()): src_port only from post_bind4/6, so
# sock_create's read of it is refused.
	.section	cgroup/sock_create,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r2 = *(u32 *)(r1 + 44)
	r0 = 1
	exit
	.section	license,"aw"
	.asciz	"GPL"
