# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# struct bpf_tcp_sock's bytes_received is a u64: a u32 read of its upper half (offset 84)
# passes bpf_tcp_sock_is_valid_access() but bpf_tcp_sock_convert_ctx_access() has no rewrite
# for it, so Linux 6.18 fails the load ("error during ctx access conversion").
	.section	cgroup_skb/egress,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = *(u64 *)(r1 + 168)
	if r1 == 0 goto out
	call 96
	if r0 == 0 goto out
	r2 = *(u32 *)(r0 + 84)
out:
	r0 = 1
	exit
	.section	license,"aw"
	.asciz	"GPL"
