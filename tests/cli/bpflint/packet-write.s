# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# cgroup skb programs cannot write packet data
	.section	cgroup_skb/ingress,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r2 = *(u32 *)(r1 + 76)
	r3 = *(u32 *)(r1 + 80)
	r4 = r2
	r4 += 1
	if r4 > r3 goto out
	r1 = 0
	*(u8 *)(r2 + 0) = r1
	out:
	r0 = 1
	exit
	.size	prog, .-prog
	.section	license,"aw",@progbits
	.globl	_license
_license:
	.asciz	"GPL"
