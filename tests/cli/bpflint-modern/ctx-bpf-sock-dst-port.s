# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# struct bpf_sock's dst_port (a __be16 and padding): Linux 6.18's bpf_sock_is_valid_access()
# allows the whole u32 at 48 and 1- and 2-byte reads of the port itself.
	.section	cgroup/post_bind4,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r2 = *(u32 *)(r1 + 48)
	r2 = *(u16 *)(r1 + 48)
	r2 = *(u8 *)(r1 + 48)
	r2 = *(u8 *)(r1 + 49)
	r0 = 1
	exit
	.section	license,"aw"
	.asciz	"GPL"
