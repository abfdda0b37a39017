# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# negative: tc into tc
	.cdecl
struct __sk_buff { __u32 len; };
struct xdp_md { __u32 data; };
int dispatch(struct __sk_buff *ctx);
int tc_member(struct __sk_buff *ctx);
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 2);
	__uint(key_size, sizeof(__u32));
	__array(values, int (struct __sk_buff *));
} jmp SEC(".maps") = { .values = { [0] = &tc_member } };
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

	.section	"tc","ax",@progbits
	.globl	tc_member
	.type	tc_member,@function
tc_member:
	r0 = 0
	exit
	.size	tc_member, .-tc_member
