# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# A NULL `__opt` buffer is still allowed where kfunc arguments are trusted by default (6.18,
# measured): bpf_dynptr_slice() then fails at run time when the bytes are not linear
# (KF_ARG_PTR_TO_MEM_SIZE: buffer__opt, buffer__szk, a known constant).
	.cdecl
struct bpf_dynptr { unsigned long long a, b; };
struct __sk_buff { unsigned int len; };
extern int bpf_dynptr_from_skb(struct __sk_buff *skb, unsigned long long flags, struct bpf_dynptr *ptr__uninit) __ksym;
extern void *bpf_dynptr_slice(const struct bpf_dynptr *p, unsigned int offset, void *buffer__opt, unsigned int buffer__szk) __ksym;
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	tc,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r2 = 0
	r3 = r10
	r3 += -16
	call bpf_dynptr_from_skb
	r1 = r10
	r1 += -16
	r2 = 0
	r3 = 0
	r4 = 14
	call bpf_dynptr_slice
	r0 = 0
	exit
	.size	prog, .-prog
