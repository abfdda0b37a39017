# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: offline bpftool here links with libbpf 1.1, which does not load an uncalled exception callback (the kernel then refuses the program: "exception callback type id not found in func_info"); the verdict is the one the kernel gave the same rule in the selftests corpus (exceptions.c, exceptions_fail.c)
# The exception callback is verified as a callback: it cannot throw itself (kernel/bpf/verifier.c
# check_kfunc_call(): "bpf_throw kfunc ... cannot be called from callback subprog").
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
	r0 = 0
	exit
	.size	prog, .-prog

	.text
	.globl	exc
	.type	exc,@function
exc:
	call bpf_throw
	r0 = 0
	exit
	.size	exc, .-exc
