# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# positive: an XDP program passes its xdp_md to a global function declared for __sk_buff
	.cdecl
struct __sk_buff { __u32 len; };
struct xdp_md { __u32 data; };
int xdp_prog(struct xdp_md *ctx);
int skb_len(struct __sk_buff *skb);
char LICENSE[] SEC("license") = "GPL";
	.endcdecl

	.section	"xdp","ax",@progbits
	.globl	xdp_prog
	.type	xdp_prog,@function
xdp_prog:
	call skb_len
	r0 = 2
	exit
	.size	xdp_prog, .-xdp_prog

	.text
	.globl	skb_len
	.type	skb_len,@function
skb_len:
	r0 = 0
	exit
	.size	skb_len, .-skb_len
