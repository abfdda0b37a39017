# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# A 32-bit `w7 += 1` on a copy of a value whose upper half may be set drops the link: the bound
# learnt on r7 says nothing of r6, and the division by zero is reachable (kernel/bpf/verifier.c
# adjust_reg_min_max_vals(): alu32 and dst umax > U32_MAX).
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	call 7
	r6 = r0
	r7 = r6
	w7 += 1
	if r7 > 10 goto out
	r6 >>= 32
	if r6 == 0 goto out
	r0 /= 0
out:
	r0 = 0
	exit
	.size	prog, .-prog
