# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# A global function's `arg:trusted` argument is a kernel object that cannot be NULL unless also
# tagged `arg:nullable` (kernel/bpf/btf.c btf_prepare_func_args(); kernel/bpf/verifier.c
# btf_check_func_arg_match(), check_reg_type()).
	.cdecl
struct task_struct { int pid; };
int get(struct task_struct *t __attribute__((btf_decl_tag("arg:trusted"))));
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
