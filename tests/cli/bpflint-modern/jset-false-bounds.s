# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# Where `w7 & 0x37` is 0, Linux 6.18 keeps only the bits it knows of r7 and drops the bound
# `r7 >= 52` learnt before (measured: the fall-through state is
# `R7=scalar(smin=0,smax=umax=0xffffffc8,var_off=(0x0; 0xffffffc8))`), so it cannot tell that
# the second test always jumps, and it reaches the bad read.
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r7 = *(u32 *)(r1 + 0)
	if r7 < 52 goto out
	if w7 & 0x37 goto out
	if r7 > 51 goto out
	r0 = *(u64 *)(r10 + 8)
out:
	r0 = 0
	exit
	.section	license,"aw"
	.asciz	"GPL"
