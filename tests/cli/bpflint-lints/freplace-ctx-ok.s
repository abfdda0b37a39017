# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# negative: the replacement declares the target's context type (`struct xdp_md *`)
	.cdecl
struct __sk_buff { __u32 len; };
struct xdp_md { __u32 data; };
int xdp_prog(struct xdp_md *ctx);
int handler(struct xdp_md *ctx);
int new_handler(struct xdp_md *ctx);
char LICENSE[] SEC("license") = "GPL";
	.endcdecl

	.section	"xdp","ax",@progbits
	.globl	xdp_prog
	.type	xdp_prog,@function
xdp_prog:
	call handler
	exit
	.size	xdp_prog, .-xdp_prog

	.text
	.globl	handler
	.type	handler,@function
handler:
	r0 = 2
	exit
	.size	handler, .-handler

	.section	"freplace/handler","ax",@progbits
	.globl	new_handler
	.type	new_handler,@function
new_handler:
	r0 = 1
	exit
	.size	new_handler, .-new_handler
