# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# A legacy packet load in a subprogram that fails ends the subprogram with r0 = 0 (the hidden
# exit of the load's expansion): the caller must handle 0 as well as the subprogram's own 1.
# Here it reads the uninitialised r9 when the result is 0 (measured on Linux 6.18).
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	call ldabs
	if r0 != 0 goto out
	r0 = r9
out:
	r0 = 0
	exit
	.size	prog, .-prog

	.text
	.type	ldabs,@function
ldabs:
	r6 = r1
	r0 = *(u32 *)skb[0]
	r0 = 1
	exit
	.size	ldabs, .-ldabs
	.section	license,"aw",@progbits
	.globl	LICENSE
LICENSE:
	.asciz	"GPL"
