# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# bpf_get_ns_current_pid_tgid from sk_msg (kernel/bpf/helpers.c bpf_base_func_proto).
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	sk_msg,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = 0
	r2 = 0
	r3 = r10
	r3 += -8
	r4 = 8
	call 120
	r0 = 1
	exit
	.size	prog, .-prog
