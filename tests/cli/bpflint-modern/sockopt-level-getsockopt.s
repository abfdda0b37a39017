# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# struct bpf_sockopt's level and optname are written only by setsockopt programs
# (kernel/bpf/cgroup.c cg_sockopt_is_valid_access(): expected_attach_type ==
# BPF_CGROUP_SETSOCKOPT); a getsockopt program may read level but not write it.
	.section	cgroup/getsockopt,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r2 = *(u32 *)(r1 + 24)
	*(u32 *)(r1 + 24) = r2
	r0 = 1
	exit
	.section	license,"aw"
	.asciz	"GPL"
