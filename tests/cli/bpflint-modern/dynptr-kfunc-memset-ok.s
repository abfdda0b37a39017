# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# bpf_dynptr_memset() on a dynptr bpf_dynptr_from_mem() (helper 197) initialised (Linux 6.16+:
# kernel/bpf/verifier.c check_kfunc_args() KF_ARG_PTR_TO_DYNPTR, process_dynptr_func()).
	.cdecl
struct bpf_dynptr { __u64 __opaque[2]; } __attribute__((aligned(8)));
extern int bpf_dynptr_memset(struct bpf_dynptr *p, __u32 offset, __u32 size, __u8 val) __ksym;
char buf[64];
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	tc,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = buf ll
	r2 = 32
	r3 = 0
	r4 = r10
	r4 += -16
	call 197
	r1 = r10
	r1 += -16
	r2 = 0
	r3 = 16
	r4 = 0
	call bpf_dynptr_memset
	r0 = 0
	exit
	.size	prog, .-prog
