# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# bpf_set_retval from getpeername4: refused by expected attach type
# (kernel/bpf/cgroup.c cgroup_common_func_proto).
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	cgroup/getpeername4,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = 0
	call 187
	r0 = 1
	exit
	.size	prog, .-prog
