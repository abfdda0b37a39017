# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# A sign-extending load of xdp_md->data (a field the verifier turns into a packet pointer) is
# refused (net/core/filter.c, xdp_is_valid_access(): info->is_ldsx).
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	xdp,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r2 = *(s32 *)(r1 + 4)
	r0 = 2
	exit
	.size	prog, .-prog
