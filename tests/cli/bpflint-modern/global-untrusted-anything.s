# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# A global function's `arg:untrusted` arguments take anything: a number for a task_struct (the
# function reads it as an untrusted kernel object) and a stack pointer at an unknown offset for
# a `void *` (read-only untrusted memory) (Linux 6.16+: kernel/bpf/btf.c
# btf_prepare_func_args(), ARG_TAG_UNTRUSTED).
	.cdecl
struct task_struct { int pid; };
int get(struct task_struct *t __attribute__((btf_decl_tag("arg:untrusted"))), void *p __attribute__((btf_decl_tag("arg:untrusted"))));
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	kprobe,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	call 7
	r0 &= 7
	r2 = r10
	r2 += -16
	r2 += r0
	r1 = 4096
	call get
	r0 = 0
	exit
	.size	prog, .-prog

	.text
	.globl	get
	.type	get,@function
get:
	r0 = *(u32 *)(r1 + 0)
	r3 = *(u64 *)(r2 + 24)
	r0 += r3
	exit
	.size	get, .-get
