# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# A slice of an skb dynptr is packet memory: bpf_skb_pull_data() moves the packet and the slice
# goes with the packet pointers (kernel/bpf/verifier.c clear_all_pkt_pointers(),
# reg_is_dynptr_slice_pkt()).
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
	r6 = r1
	r2 = 0
	r3 = r10
	r3 += -16
	call bpf_dynptr_from_skb
	r1 = r10
	r1 += -16
	r2 = 0
	r3 = r10
	r3 += -32
	r4 = 8
	call bpf_dynptr_slice
	if r0 == 0 goto out
	r7 = r0
	r1 = r6
	r2 = 0
	call 39
	r0 = *(u8 *)(r7 + 0)
	exit
out:
	r0 = 0
	exit
	.size	prog, .-prog
