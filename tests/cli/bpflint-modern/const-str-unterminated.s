# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# bpf_strncmp()'s third argument is a constant string (ARG_PTR_TO_CONST_STR): a frozen
# read-only map value with a NUL before the value ends (kernel/bpf/verifier.c
# check_reg_const_str(): "string is not zero-terminated"). `target` fills its 4 bytes.
	.cdecl
const char target[4] = "abcd";
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	tp/syscalls/sys_enter_nanosleep,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = 0
	*(u64 *)(r10 - 8) = r1
	r1 = r10
	r1 += -8
	r2 = 4
	r3 = target ll
	call 182
	r0 = 0
	exit
	.size	prog, .-prog
