# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# After bpf_xdp_pull_data() (Linux 6.18) the packet pointers are reloaded from the context and
# checked again: the store is safe (kernel/bpf/verifier.c check_kfunc_call(),
# is_kfunc_pkt_changing()).
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
	w2 = 4
	call bpf_xdp_pull_data
	r2 = *(u32 *)(r6 + 4)
	r7 = *(u32 *)(r6 + 0)
	r3 = r7
	r3 += 4
	if r3 > r2 goto out
	w1 = 42
	*(u32 *)(r7 + 0) = r1
out:
	r0 = 2
	exit
	.size	prog, .-prog
