# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# bpf_get_retval is not for cgroup_skb programs: the kernel offers it by expected attach type, and
# ingress/egress, sock_ops, recvmsg, getpeername and getsockname have no syscall return value
# (kernel/bpf/cgroup.c cgroup_common_func_proto).
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	cgroup_skb/ingress,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	call 186
	r0 = 1
	exit
	.size	prog, .-prog
