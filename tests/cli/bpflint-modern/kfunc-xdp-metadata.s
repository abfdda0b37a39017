# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# The XDP RX metadata kfuncs are resolved per device: only a program loaded for one device
# (prog_ifindex with BPF_F_XDP_DEV_BOUND_ONLY) may call them (kernel/bpf/verifier.c
# add_kfunc_call() -> kernel/bpf/offload.c bpf_dev_bound_kfunc_check()).
	.cdecl
struct xdp_md { unsigned int data; };
extern int bpf_xdp_metadata_rx_timestamp(const struct xdp_md *ctx, unsigned long long *timestamp) __ksym;
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	xdp,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r2 = r10
	r2 += -8
	call bpf_xdp_metadata_rx_timestamp
	r0 = 2
	exit
	.size	prog, .-prog
