# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# bpf_xdp_pull_data() (a kfunc, Linux 6.18) may move the packet: every packet pointer is gone
# after the call (kernel/bpf/verifier.c check_kfunc_call(): is_kfunc_pkt_changing(),
# clear_all_pkt_pointers()), so the store through the pointer checked before it is refused.
	.cdecl
struct xdp_md { __u32 data; __u32 data_end; __u32 data_meta; __u32 ingress_ifindex; __u32 rx_queue_index; __u32 egress_ifindex; };
extern int bpf_xdp_pull_data(struct xdp_md *x, __u32 len) __ksym;
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	xdp,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r6 = r1
	r2 = *(u32 *)(r6 + 4)
	r7 = *(u32 *)(r6 + 0)
	r3 = r7
	r3 += 4
	if r3 > r2 goto out
	r1 = r6
	w2 = 0
	call bpf_xdp_pull_data
	w1 = 42
	*(u32 *)(r7 + 0) = r1
out:
	r0 = 2
	exit
	.size	prog, .-prog
