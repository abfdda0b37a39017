# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# Sign-extending the low byte of the frame pointer: a privileged load may leak pointers, so the
# kernel makes r0 an unknown scalar ("sign-extension part of pointer" is only for unprivileged
# loads; kernel/bpf/verifier.c check_alu_op(), is_pointer_value()).
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r0 = (s8)r10
	r0 &= 3
	exit
	.size	prog, .-prog
	.section	license,"aw",@progbits
	.globl	LICENSE
LICENSE:
	.asciz	"GPL"
