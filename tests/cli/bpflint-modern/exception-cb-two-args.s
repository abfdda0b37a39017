# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: offline bpftool here links with libbpf 1.1, which does not load an uncalled exception callback (the kernel then refuses the program: "exception callback type id not found in func_info"); the verdict is the one the kernel gave the same rule in the selftests corpus (exceptions.c, exceptions_fail.c)
# An exception callback takes a single integer, the cookie given to bpf_throw()
# (kernel/bpf/verifier.c do_check_common(): "exception cb only supports single integer argument").
	.cdecl
extern void bpf_throw(unsigned long long cookie) __ksym;
int prog(void *ctx) __attribute__((btf_decl_tag("exception_callback:exc")));
int exc(int a, int b);
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	tc,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = 1
	call bpf_throw
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
