# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# An `arg:untrusted` task_struct passed on to an `arg:trusted` one: an untrusted kernel object
# is no trusted one (Linux 6.16+: kernel/bpf/btf.c btf_prepare_func_args(); kernel/bpf/
# verifier.c check_reg_type()).
	.cdecl
struct task_struct { int pid; };
int pass(struct task_struct *t __attribute__((btf_decl_tag("arg:untrusted"))));
int get(struct task_struct *t __attribute__((btf_decl_tag("arg:trusted"))));
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	kprobe,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = 0
	call pass
	r0 = 0
	exit
	.size	prog, .-prog

	.text
	.globl	pass
	.type	pass,@function
pass:
	call get
	exit
	.size	pass, .-pass

	.globl	get
	.type	get,@function
get:
	r0 = 0
	exit
	.size	get, .-get
