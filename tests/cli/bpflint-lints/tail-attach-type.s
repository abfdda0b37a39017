# RUN: bpfasm -g %s -o %t
# FAIL: bpflint --prog-array jmp=egress %t
# positive: same program type (cgroup_skb), different expected attach type (ingress vs egress)
	.cdecl
struct __sk_buff { __u32 len; };
struct xdp_md { __u32 data; };
int ingress(struct __sk_buff *ctx);
int egress(struct __sk_buff *ctx);
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 2);
	__uint(key_size, sizeof(__u32));
	__array(values, int (struct __sk_buff *));
} jmp SEC(".maps");
char LICENSE[] SEC("license") = "GPL";
	.endcdecl

	.section	"cgroup_skb/ingress","ax",@progbits
	.globl	ingress
	.type	ingress,@function
ingress:
	r2 = jmp ll
	r3 = 0
	call 12
	r0 = 1
	exit
	.size	ingress, .-ingress

	.section	"cgroup_skb/egress","ax",@progbits
	.globl	egress
	.type	egress,@function
egress:
	r0 = 1
	exit
	.size	egress, .-egress
