# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# a helper buffer of size zero
	.section	kprobe/do_sys_open,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = r10
	r1 += -16
	r2 = 0
	call 16
	r0 = 0
	exit
	.size	prog, .-prog
	.section	license,"aw",@progbits
	.globl	_license
_license:
	.asciz	"GPL"
