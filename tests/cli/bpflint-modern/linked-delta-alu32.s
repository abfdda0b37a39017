# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# A 32-bit `w7 += 1` on a copy of a 32-bit value keeps the link (its upper half is zero) and the
# bound learnt on r6 reaches r7 zero-extended: r6 = 0xffffffff gives r7 = 0, not 1 << 32
# (Linux 6.18 stable and 7.0: kernel/bpf/verifier.c adjust_reg_min_max_vals() BPF_ADD_CONST32,
# sync_linked_regs() zext_32_to_64()).
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	call 7
	w6 = w0
	r7 = r6
	w7 += 1
	r8 = 0xffffffff ll
	if r6 < r8 goto out
	r7 >>= 32
	if r7 == 0 goto out
	r0 /= 0
out:
	r0 = 0
	exit
	.size	prog, .-prog
