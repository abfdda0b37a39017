# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# packet read without a data_end check
	.section	xdp,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r2 = *(u32 *)(r1 + 0)
	r0 = *(u8 *)(r2 + 0)
	exit
	.size	prog, .-prog
	.section	license,"aw",@progbits
	.globl	_license
_license:
	.asciz	"GPL"
