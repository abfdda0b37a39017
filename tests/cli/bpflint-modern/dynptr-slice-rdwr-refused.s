# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# bpf_dynptr_slice_rdwr() on an skb dynptr: this machine's Linux 6.18 refuses every call of it
# that passes the argument checks (EPERM "bpf_dynptr_slice_rdwr() is not allowed"), where 6.12
# let tc programs write through the slice (check_kfunc_call()).
	.cdecl
struct bpf_dynptr { unsigned long long a, b; };
struct __sk_buff { unsigned int len; };
extern int bpf_dynptr_from_skb(struct __sk_buff *skb, unsigned long long flags, struct bpf_dynptr *ptr__uninit) __ksym;
extern void *bpf_dynptr_slice_rdwr(const struct bpf_dynptr *p, unsigned int offset, void *buffer__opt, unsigned int buffer__szk) __ksym;
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
	r3 = r10
	r3 += -32
	r4 = 14
	call bpf_dynptr_slice_rdwr
	r0 = 0
	exit
	.size	prog, .-prog
