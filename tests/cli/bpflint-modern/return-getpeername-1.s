# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# The same program returning 1 is accepted.
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	cgroup/getpeername4,"ax",@progbits
	.globl	peer
	.type	peer,@function
peer:
	r0 = 1
	exit
	.size	peer, .-peer
