# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# A global function's `int *` argument is memory it may write: a pointer into the read-only
# .rodata map does not do, even though the callee only reads (kernel/bpf/verifier.c
# check_mem_reg(): the memory must be readable and writable).
	.cdecl
int get(int *p);
const volatile int limit SEC(".rodata") = 3;
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	tc,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = limit ll
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
