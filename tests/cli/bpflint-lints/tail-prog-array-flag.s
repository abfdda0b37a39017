# RUN: bpfasm -g %s -o %t
# FAIL: bpflint --prog-array jmp=sf_member %t
# positive: the array's members named on the command line (like bpfld): a socket filter into a tc array
	.cdecl
struct __sk_buff { __u32 len; };
struct xdp_md { __u32 data; };
int dispatch(struct __sk_buff *ctx);
int sf_member(struct __sk_buff *ctx);
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 2);
	__uint(key_size, sizeof(__u32));
	__array(values, int (struct __sk_buff *));
} jmp SEC(".maps");
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

	.section	"socket","ax",@progbits
	.globl	sf_member
	.type	sf_member,@function
sf_member:
	r0 = 0
	exit
	.size	sf_member, .-sf_member
