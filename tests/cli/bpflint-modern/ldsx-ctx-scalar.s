# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# A sign-extending load of a scalar field (xdp_md->rx_queue_index) is fine.
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	xdp,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r2 = *(s32 *)(r1 + 16)
	r0 = 2
	exit
	.size	prog, .-prog
