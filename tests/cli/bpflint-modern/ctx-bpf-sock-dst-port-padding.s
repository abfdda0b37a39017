# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# struct bpf_sock's dst_port is a __be16 followed by 2 bytes of padding: Linux 6.18's
# bpf_sock_is_valid_access() allows the whole u32 at 48 and narrow reads of the port (48..49),
# and refuses offsetofend(dst_port)..dst_ip4 - 1; the 2-byte read at 50 is refused.
	.section	cgroup/post_bind4,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r2 = *(u32 *)(r1 + 48)
	r2 = *(u16 *)(r1 + 48)
	r2 = *(u8 *)(r1 + 49)
	r2 = *(u16 *)(r1 + 50)
	r0 = 1
	exit
	.section	license,"aw"
	.asciz	"GPL"
