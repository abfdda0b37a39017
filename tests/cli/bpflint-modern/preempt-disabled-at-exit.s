# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# bpf_preempt_disable() without bpf_preempt_enable() before exit (kernel/bpf/verifier.c do_check(),
# BPF_EXIT).
	.cdecl
extern void bpf_preempt_disable(void) __ksym;
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	tc,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	call bpf_preempt_disable
	r0 = 0
	exit
	.size	prog, .-prog
