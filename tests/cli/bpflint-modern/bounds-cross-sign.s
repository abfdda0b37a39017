# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# A sign-extended byte is in [-128, 127]; unsigned, "not above 0xffffffffffffff00" leaves only
# its non-negative part, [0, 127], so the second test always jumps and the write to r10 is dead.
# The kernel (6.7 and later) deduces this from a signed range that crosses the sign boundary
# (kernel/bpf/verifier.c: __reg64_deduce_bounds()); a verifier without that deduction walks into
# the write and rejects "frame pointer is read only".
	.text
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	call 7
	r0 = (s8)r0
	r1 = -256
	if r0 > r1 goto out
	if r0 < 128 goto out
	r10 = 0
out:
	r0 = 0
	exit
	.size	prog, .-prog
	.section	license,"aw",@progbits
	.globl	LICENSE
LICENSE:
	.asciz	"GPL"
