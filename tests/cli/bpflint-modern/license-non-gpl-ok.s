# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# Helpers without gpl_only stay callable whatever the license: a dual-licensed (here MIT)
# packet filter that asks for the time.
	.cdecl
char LICENSE[] SEC("license") = "MIT";
	.endcdecl
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	call 5
	r0 = 0
	exit
	.size	prog, .-prog
