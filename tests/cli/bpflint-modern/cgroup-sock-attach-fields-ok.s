# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# struct bpf_sock by attach type (net/core/filter.c __sock_filter_check_attach_type()):
# sock_create may read and write bound_dev_if, mark and priority; post_bind4 reads src_ip4 and
# src_port (a narrow read at the port's start, bpf_sock_is_valid_access()).
	.section	cgroup/sock_create,"ax",@progbits
	.globl	create
	.type	create,@function
create:
	r2 = *(u32 *)(r1 + 16)
	*(u32 *)(r1 + 16) = r2
	r2 = *(u32 *)(r1 + 20)
	*(u32 *)(r1 + 0) = r2
	r2 = *(u32 *)(r1 + 4)
	r0 = 1
	exit
	.size	create, .-create
	.section	cgroup/post_bind4,"ax",@progbits
	.globl	bind4
	.type	bind4,@function
bind4:
	r2 = *(u32 *)(r1 + 24)
	r2 = *(u16 *)(r1 + 44)
	r2 = *(u32 *)(r1 + 44)
	r0 = 1
	exit
	.size	bind4, .-bind4
	.section	license,"aw"
	.asciz	"GPL"
