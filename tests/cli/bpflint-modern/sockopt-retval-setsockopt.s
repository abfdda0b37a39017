# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# struct bpf_sockopt's retval belongs to getsockopt programs only, for reading too
# (kernel/bpf/cgroup.c cg_sockopt_is_valid_access(): expected_attach_type ==
# BPF_CGROUP_GETSOCKOPT); a setsockopt program's read is refused.
	.section	cgroup/setsockopt,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r2 = *(u32 *)(r1 + 36)
	r0 = 1
	exit
	.section	license,"aw"
	.asciz	"GPL"
