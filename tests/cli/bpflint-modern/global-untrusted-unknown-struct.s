# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# An `arg:untrusted` pointer to a struct the kernel's BTF does not have (Linux 6.16+:
# kernel/bpf/btf.c btf_prepare_func_args(), btf_get_ptr_to_btf_id(): "has no matches").
	.cdecl
struct no_such_kernel_struct { int x; };
int get(struct no_such_kernel_struct *p __attribute__((btf_decl_tag("arg:untrusted"))));
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
