# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# `r0 &= 0x100` leaves two possible values, 0 and 0x100; past `r0 == 0` the range [1, 0x100]
# meets the tnum in 0x100 alone, so r0 is that constant and the division by zero behind
# `r0 != 0x100` is unreachable (kernel/bpf/verifier.c __update_reg64_bounds() with tnum_step(),
# measured on the running 6.18 stable kernel).
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	call 7
	r0 &= 0x100
	if r0 == 0 goto out
	if r0 != 0x100 goto bad
out:
	r0 = 0
	exit
bad:
	r0 /= 0
	exit
	.size	prog, .-prog
