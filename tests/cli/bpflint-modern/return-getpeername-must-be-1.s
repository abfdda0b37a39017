# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# cgroup/getpeername4 (and getsockname, recvmsg, for inet4/6 and unix sockets) must return 1
# (kernel/bpf/verifier.c, check_return_code()).
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	cgroup/getpeername4,"ax",@progbits
	.globl	peer
	.type	peer,@function
peer:
	r0 = 0
	exit
	.size	peer, .-peer
