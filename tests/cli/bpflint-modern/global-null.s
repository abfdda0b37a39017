# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# A global function is verified on its own against its BTF prototype: its `int *` argument may be
# NULL there, whatever the caller passes, so the unchecked read is refused (kernel/bpf/btf.c,
# btf_prepare_func_args(); kernel/bpf/verifier.c do_check_subprogs()).
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
	r0 = *(u32 *)(r1 + 0)
	exit
	.size	get, .-get
