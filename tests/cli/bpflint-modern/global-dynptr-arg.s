# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# A global function's `struct bpf_dynptr *` argument needs an initialised dynptr on the stack
# (or a const one): a scalar is refused (kernel/bpf/verifier.c btf_check_func_arg_match(),
# process_dynptr_func()).
	.cdecl
struct bpf_dynptr { unsigned long long a, b; };
int get(const struct bpf_dynptr *d);
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	raw_tp,"ax",@progbits
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
