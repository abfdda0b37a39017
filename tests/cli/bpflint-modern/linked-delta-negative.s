# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# r7 is r6 minus 5 (`r7 -= 5`, a negative delta): r7 >= 0 proves r6 >= 5, so the division by
# zero behind `r6 == 0` is unreachable (Linux 6.18 stable
# and 7.0: kernel/bpf/verifier.c adjust_reg_min_max_vals() links through BPF_SUB and negative
# deltas; sync_linked_regs()).
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	call 7
	r0 &= 255
	r6 = r0
	r7 = r6
	r7 -= 5
	if r7 s< 0 goto out
	if r6 != 0 goto out
	r0 /= 0
out:
	r0 = 0
	exit
	.size	prog, .-prog
