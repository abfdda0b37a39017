# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# Linux 6.18 explores `r |= K` / `r &= K` on a sign mask (`w7 s>>= 31` leaves r7 0 or
# 0xffffffff) once per value (measured: the log's path has `R7=0xffffffff` after the OR), so on
# one path r7 is the constant 0xffffffff, too far to add to the context pointer.
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r6 = r1
	r7 = *(u32 *)(r6 + 0)
	w7 s>>= 31
	r7 |= 77
	r7 += r6
	r0 = 0
	exit
	.section	license,"aw"
	.asciz	"GPL"
