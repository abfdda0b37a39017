# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# The caller passes a number where the prototype wants a pointer to 4 bytes (kernel/bpf/verifier.c
# check_func_call(): "Caller passes invalid args into func#%d").
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
	r1 = 4096
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
