# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# cgroup skb programs return 0 or 1
	.section	cgroup_skb/ingress,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r0 = 2
	exit
	.size	prog, .-prog
	.section	license,"aw",@progbits
	.globl	_license
_license:
	.asciz	"GPL"
