# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# bpf_probe_read_kernel() is GPL-only (its proto's gpl_only, measured on the running kernel by
# scripts/probe-helpers.py): a program whose license is not GPL-compatible may not call it
# (kernel/bpf/verifier.c check_helper_call()).
	.cdecl
char LICENSE[] SEC("license") = "MIT";
	.endcdecl
	.section	kprobe/do_nanosleep,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = r10
	r1 += -8
	r2 = 8
	r3 = 0
	call 113
	r0 = 0
	exit
	.size	prog, .-prog
