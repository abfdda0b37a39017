# cgroup_skb.s — a cgroup egress firewall: block one UDP port, count the rest.
#
# Shows: the `cgroup_skb/egress` section (return 1 to let the packet go, 0 to drop it), a
# partial declaration of a kernel type (only the __sk_buff fields used, marked
# preserve_access_index: the CO-RE relocations make libbpf check and fix each offset against
# the kernel's definition), bpf_skb_load_bytes into the stack, a `const volatile` knob in
# .rodata and counters in .bss.
#
# Assemble:  bpfasm -g cgroup_skb.s -o cgroup_skb.o
# Attach:    bpftool cgroup attach /sys/fs/cgroup/mygroup egress pinned /sys/fs/bpf/.../egress_filter

	.cdecl
/* The first fields of the UAPI struct __sk_buff; the kernel's BTF has the rest. */
struct __sk_buff {
	__u32 len;
	__u32 pkt_type;
	__u32 mark;
	__u32 queue_mapping;
	__u32 protocol;		/* ETH_P_* in network byte order */
} __attribute__((preserve_access_index));

const volatile __u16 blocked_port = 9;	/* host order; a skeleton can set it before load */
__u64 blocked_packets;
__u64 allowed_bytes;

int egress_filter(struct __sk_buff *skb);
char LICENSE[] SEC("license") = "GPL";
	.endcdecl

	.include "include/net.inc"			# ETH_P_IP_BE, IPPROTO_UDP
	.set	BPF_FUNC_skb_load_bytes, 26
	.set	ALLOW, 1
	.set	DROP, 0
	# The packet starts at the IP header for cgroup programs.
	# Copied to the stack at r10 - 24: IPv4 header (20 bytes, no options) + UDP ports (4).
	.set	HDR, -24
	.set	HDR_LEN, 24

	.section	"cgroup_skb/egress","ax",@progbits
	.globl	egress_filter
	.type	egress_filter,@function
egress_filter:
	r6 = r1					# r6 = skb
	r1 = *(u32 *)(r6 + offsetof(struct __sk_buff, protocol))
	if r1 != ETH_P_IP_BE goto allow
	r1 = r6
	r2 = 0					# offset in the packet
	r3 = r10
	r3 += HDR
	r4 = HDR_LEN
	call BPF_FUNC_skb_load_bytes
	if r0 != 0 goto allow			# shorter than that: not UDP to a port we block
	r1 = *(u8 *)(r10 + HDR)
	if r1 != 0x45 goto allow		# IPv4 without options only
	r1 = *(u8 *)(r10 + HDR + 9)		# iphdr.protocol
	if r1 != IPPROTO_UDP goto allow
	r1 = *(u16 *)(r10 + HDR + 22)		# udphdr.dest, network order
	r1 = be16 r1
	r2 = blocked_port ll
	r2 = *(u16 *)(r2 + 0)
	if r1 != r2 goto allow
	r1 = blocked_packets ll
	r2 = 1
	lock *(u64 *)(r1 + 0) += r2
	r0 = DROP
	exit

allow:
	r2 = *(u32 *)(r6 + offsetof(struct __sk_buff, len))
	r1 = allowed_bytes ll
	lock *(u64 *)(r1 + 0) += r2
	r0 = ALLOW
	exit
	.size	egress_filter, .-egress_filter
