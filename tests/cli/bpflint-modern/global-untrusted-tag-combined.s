# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# `arg:untrusted` stands alone: with `arg:nullable` the prototype is refused (Linux 6.16+:
# kernel/bpf/btf.c btf_prepare_func_args(): "untrusted cannot be combined with any other tags").
	.cdecl
struct task_struct { int pid; };
int get(struct task_struct *t __attribute__((btf_decl_tag("arg:untrusted"))) __attribute__((btf_decl_tag("arg:nullable"))));
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	kprobe,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = 0
	call get
	r0 = 0
	exit
	.size	prog, .-prog

	.text
	.globl	get
	.type	get,@function
get:
	r0 = 0
	exit
	.size	get, .-get
