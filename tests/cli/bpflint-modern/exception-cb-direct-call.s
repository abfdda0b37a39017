# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# The exception callback runs only when the program throws: calling it is refused
# (kernel/bpf/verifier.c check_max_stack_depth_subprog(): "cannot call exception cb directly").
	.cdecl
extern void bpf_throw(unsigned long long cookie) __ksym;
int prog(void *ctx) __attribute__((btf_decl_tag("exception_callback:exc")));
int exc(unsigned long long cookie);
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	tc,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = 1
	call exc
	r0 = 0
	exit
	.size	prog, .-prog

	.text
	.globl	exc
	.type	exc,@function
exc:
	r0 = 0
	exit
	.size	exc, .-exc
