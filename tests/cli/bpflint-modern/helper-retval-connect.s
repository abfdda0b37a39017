# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# bpf_get_retval from connect4: offered (kernel/bpf/cgroup.c cgroup_common_func_proto).
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	cgroup/connect4,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	call 186
	r0 = 1
	exit
	.size	prog, .-prog
