# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# negative: a global function taking the program's own context type
	.cdecl
struct xdp_md { __u32 data; };
int xdp_prog(struct xdp_md *ctx);
int helper(struct xdp_md *ctx);
char LICENSE[] SEC("license") = "GPL";
	.endcdecl

	.section	"xdp","ax",@progbits
	.globl	xdp_prog
	.type	xdp_prog,@function
xdp_prog:
	call helper
	r0 = 2
	exit
	.size	xdp_prog, .-xdp_prog

	.text
	.globl	helper
	.type	helper,@function
helper:
	r0 = 0
	exit
	.size	helper, .-helper
