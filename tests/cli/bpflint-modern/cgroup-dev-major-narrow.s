# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# bpf_cgroup_dev_ctx's major and minor are read as whole u32s; only access_type may be read
# narrow (kernel/bpf/cgroup.c cgroup_dev_is_valid_access()). The 2-byte read of major is
# refused.
	.section	cgroup/dev,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r2 = *(u16 *)(r1 + 0)
	r2 = *(u32 *)(r1 + 8)
	r2 = *(u16 *)(r1 + 4)
	r0 = 1
	exit
	.section	license,"aw"
	.asciz	"GPL"
