# RUN: bpfasm -g %s -o %t
# RUN: bpflint --prog-array jmp=ingress2 %t
# negative: cgroup_skb/ingress into cgroup_skb/ingress, named with --prog-array
	.cdecl
struct __sk_buff { __u32 len; };
struct xdp_md { __u32 data; };
int ingress(struct __sk_buff *ctx);
int ingress2(struct __sk_buff *ctx);
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

	.section	"cgroup_skb/ingress","ax",@progbits
	.globl	ingress2
	.type	ingress2,@function
ingress2:
	r0 = 1
	exit
	.size	ingress2, .-ingress2
