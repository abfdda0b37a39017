# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# bpf_rdonly_cast()'s type id must name a struct (or be 0, void) of the kernel's BTF
# (kernel/bpf/verifier.c check_kfunc_call(), KF_bpf_rdonly_cast); type 1 of vmlinux BTF is an
# integer type (`bpf_core_cast(ctx, u64)` gets the same answer).
	.cdecl
extern void *bpf_rdonly_cast(const void *obj__ign, unsigned int btf_id__k) __ksym;
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	tp/syscalls/sys_enter_nanosleep,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r2 = 1
	call bpf_rdonly_cast
	r0 = 0
	exit
	.size	prog, .-prog
