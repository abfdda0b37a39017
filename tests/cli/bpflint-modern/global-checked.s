# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# The same global function with the NULL check is accepted; the call itself only checks the
# argument against the prototype (4 readable bytes) and returns an unknown scalar.
	.cdecl
int get(int *p);
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	tc,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = 7
	*(u32 *)(r10 - 4) = r1
	r1 = r10
	r1 += -4
	call get
	r0 = 0
	exit
	.size	prog, .-prog

	.text
	.globl	get
	.type	get,@function
get:
	r0 = 0
	if r1 == 0 goto out
	r0 = *(u32 *)(r1 + 0)
out:
	exit
	.size	get, .-get
