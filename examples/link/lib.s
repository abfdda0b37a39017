# link/lib.s — a library object for bpfld: a global function other objects call.
# Built into link/xdp_linked.o together with link/prog.s (see ../Makefile).
	.cdecl __u32 hash32(__u32 x);

	.text
	.globl	hash32
	.type	hash32,@function
hash32:					# Knuth's multiplicative hash, truncated to 32 bits
	w0 = w1
	w0 *= 0x9e3779b1
	exit
