# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# Linux 6.18 checks every kfunc's pointer arguments as trusted ones, not only those of kfuncs
# flagged KF_TRUSTED_ARGS: bpf_skb_ct_lookup() is KF_ACQUIRE | KF_RET_NULL in 6.12
# (net/netfilter/nf_conntrack_bpf.c), yet a NULL tuple is refused (measured, as is a NULL
# `sun_path` for bpf_sock_addr_set_sun_path(); kernel/bpf/verifier.c check_kfunc_args():
# "Possibly NULL pointer passed to trusted arg%d").
	.cdecl
struct __sk_buff { unsigned int len; };
struct bpf_sock_tuple { unsigned int saddr, daddr; unsigned short sport, dport; };
struct bpf_ct_opts { int netns_id; int error; unsigned char l4proto; unsigned char dir; unsigned char reserved[2]; };
struct nf_conn { int status; };
extern struct nf_conn *bpf_skb_ct_lookup(struct __sk_buff *skb_ctx, struct bpf_sock_tuple *bpf_tuple, unsigned int tuple__sz, struct bpf_ct_opts *opts, unsigned int opts__sz) __ksym;
extern void bpf_ct_release(struct nf_conn *ct) __ksym;
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	tc,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r2 = 0
	*(u64 *)(r10 - 16) = r2
	*(u32 *)(r10 - 8) = r2
	r4 = r10
	r4 += -16
	r3 = 0
	r5 = 12
	call bpf_skb_ct_lookup
	if r0 == 0 goto out
	r1 = r0
	call bpf_ct_release
out:
	r0 = 0
	exit
	.size	prog, .-prog
