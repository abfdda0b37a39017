# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# positive: the same through a static function: the kernel verifies it inline and accepts it
	.cdecl
struct __sk_buff { __u32 len; };
struct xdp_md { __u32 data; };
int xdp_prog(struct xdp_md *ctx);
static int skb_len(struct __sk_buff *skb);
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
	.type	skb_len,@function
skb_len:
	r0 = *(u32 *)(r1 + 0)
	r0 = 2
	exit
	.size	skb_len, .-skb_len
