# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# bpf_xdp_pull_data() (a kfunc, Linux 6.18) may move the packet: a global function that calls
# it invalidates the caller's packet pointers (kernel/bpf/verifier.c visit_insn():
# is_kfunc_pkt_changing() marks the subprog changes_pkt_data; check_func_call() then
# clear_all_pkt_pointers()), so the store through the checked pointer is refused.
	.cdecl
struct xdp_md { __u32 data; __u32 data_end; __u32 data_meta; __u32 ingress_ifindex; __u32 rx_queue_index; __u32 egress_ifindex; };
extern int bpf_xdp_pull_data(struct xdp_md *x, __u32 len) __ksym;
int pull(struct xdp_md *x);
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	xdp,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r2 = *(u32 *)(r1 + 4)
	r6 = *(u32 *)(r1 + 0)
	r3 = r6
	r3 += 4
	if r3 > r2 goto out
	call pull
	w1 = 42
	*(u32 *)(r6 + 0) = r1
out:
	r0 = 2
	exit
	.size	prog, .-prog

	.text
	.globl	pull
	.type	pull,@function
pull:
	w2 = 0
	call bpf_xdp_pull_data
	r0 = 0
	exit
	.size	pull, .-pull
