# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# bpf_map_lookup_elem needs a map
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = 0
	r2 = r10
	r2 += -8
	call 1
	r0 = 0
	exit
	.size	prog, .-prog
	.section	license,"aw",@progbits
	.globl	_license
_license:
	.asciz	"GPL"
