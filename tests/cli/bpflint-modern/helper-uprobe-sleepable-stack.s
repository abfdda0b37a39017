# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# A sleepable uprobe may call bpf_get_stack (kernel/trace/bpf_trace.c kprobe_prog_func_proto).
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	uprobe.s/bin/true:main,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r6 = r1
	r2 = r10
	r2 += -8
	r3 = 8
	r4 = 0
	call 67
	r0 = 1
	exit
	.size	prog, .-prog
