# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# FAIL: bpflint --message-format json %t
# FAIL: bpflint --message-format sarif %t
# positive: a tc program tail-calls through an array statically holding an XDP program
	.cdecl
struct __sk_buff { __u32 len; };
struct xdp_md { __u32 data; };
int dispatch(struct __sk_buff *ctx);
int xdp_member(struct xdp_md *ctx);
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 2);
	__uint(key_size, sizeof(__u32));
	__array(values, int (struct __sk_buff *));
} jmp SEC(".maps") = { .values = { [0] = &xdp_member } };
char LICENSE[] SEC("license") = "GPL";
	.endcdecl

	.section	"tc","ax",@progbits
	.globl	dispatch
	.type	dispatch,@function
dispatch:
	r2 = jmp ll
	r3 = 0
	call 12
	r0 = 0
	exit
	.size	dispatch, .-dispatch

	.section	"xdp","ax",@progbits
	.globl	xdp_member
	.type	xdp_member,@function
xdp_member:
	r0 = 2
	exit
	.size	xdp_member, .-xdp_member
