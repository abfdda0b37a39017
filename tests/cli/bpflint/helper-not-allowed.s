# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# bpf_probe_read is for tracing programs
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = r10
	r1 += -8
	r2 = 8
	r3 = 0
	call 4
	r0 = 0
	exit
	.size	prog, .-prog
	.section	license,"aw",@progbits
	.globl	_license
_license:
	.asciz	"GPL"
