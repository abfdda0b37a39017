# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# struct bpf_sockopt by attach type (kernel/bpf/cgroup.c cg_sockopt_is_valid_access()):
# getsockopt reads and writes retval and writes optlen; setsockopt writes level, optname and
# optlen; both read level, optname and optlen.
	.section	cgroup/getsockopt,"ax",@progbits
	.globl	get
	.type	get,@function
get:
	r2 = *(u32 *)(r1 + 36)
	r2 = 0
	*(u32 *)(r1 + 36) = r2
	r2 = *(u32 *)(r1 + 24)
	r2 = *(u32 *)(r1 + 32)
	*(u32 *)(r1 + 32) = r2
	r0 = 1
	exit
	.size	get, .-get
	.section	cgroup/setsockopt,"ax",@progbits
	.globl	set
	.type	set,@function
set:
	r2 = *(u32 *)(r1 + 24)
	*(u32 *)(r1 + 24) = r2
	r2 = *(u32 *)(r1 + 28)
	*(u32 *)(r1 + 28) = r2
	r2 = *(u32 *)(r1 + 32)
	*(u32 *)(r1 + 32) = r2
	r0 = 1
	exit
	.size	set, .-set
	.section	license,"aw"
	.asciz	"GPL"
