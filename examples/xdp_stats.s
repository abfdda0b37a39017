# xdp_stats.s — XDP packet accounting with two BTF-defined maps.
#
# Shows: maps declared in C with libbpf's macros (a hash map keyed by IP protocol with a struct
# value, and a per-CPU array), direct packet access with a bounds check against data_end,
# a map update with BPF_NOEXIST for new keys, and atomic adds for existing ones.
#
#   by_proto[ip->protocol] += { packets: 1, bytes: packet length }   (IPv4 only)
#   total[0] += 1                                                    (every packet, per CPU)
#
# Every packet passes (XDP_PASS).
# Assemble:  bpfasm -g xdp_stats.s -o xdp_stats.o
# Load:      bpftool prog loadall xdp_stats.o /sys/fs/bpf/xdp_stats pinmaps /sys/fs/bpf/xdp_stats_maps

	.cdecl
/* The XDP context (UAPI). `offsetof` on it records a CO-RE relocation, which libbpf resolves
 * against the kernel's own `struct xdp_md` — same offsets. */
struct xdp_md {
	__u32 data;
	__u32 data_end;
	__u32 data_meta;
	__u32 ingress_ifindex;
	__u32 rx_queue_index;
	__u32 egress_ifindex;
};

struct pkt_stats {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);			/* IP protocol number */
	__type(value, struct pkt_stats);
} by_proto SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} total SEC(".maps");

int xdp_stats(struct xdp_md *ctx);
char LICENSE[] SEC("license") = "GPL";
	.endcdecl

	# Packet layout. (Plain constants: `offsetof` would record a CO-RE relocation, which only
	# makes sense for types the kernel knows.)
	.set	ETH_HLEN, 14
	.set	ETH_PROTO, 12			# ethhdr.h_proto
	.set	ETH_P_IP_BE, 0x0008		# htons(ETH_P_IP), as a little-endian load sees it
	.set	IP_PROTO, ETH_HLEN + 9		# iphdr.protocol
	.set	IP_MIN_END, ETH_HLEN + 20	# end of a minimal IPv4 header
	# struct pkt_stats
	.set	PS_PACKETS, 0
	.set	PS_BYTES, 8
	# helpers and flags
	.set	BPF_FUNC_map_lookup_elem, 1
	.set	BPF_FUNC_map_update_elem, 2
	.set	BPF_NOEXIST, 1
	.set	XDP_PASS, 2

	.section	xdp,"ax",@progbits
	.globl	xdp_stats
	.type	xdp_stats,@function
xdp_stats:
	r6 = *(u32 *)(r1 + offsetof(struct xdp_md, data))	# r6 = packet start
	r7 = *(u32 *)(r1 + offsetof(struct xdp_md, data_end))	# r7 = packet end

	# total[0] += 1 on this CPU: a per-CPU value needs no atomic add.
	w1 = 0
	*(u32 *)(r10 - 4) = r1
	r2 = r10
	r2 += -4
	r1 = total ll
	call BPF_FUNC_map_lookup_elem
	if r0 == 0 goto parse
	r1 = *(u64 *)(r0 + 0)
	r1 += 1
	*(u64 *)(r0 + 0) = r1

parse:
	r1 = r6
	r1 += IP_MIN_END
	if r1 > r7 goto pass			# too short for Ethernet + IPv4: the verifier insists
	r1 = *(u16 *)(r6 + ETH_PROTO)
	if r1 != ETH_P_IP_BE goto pass
	r1 = *(u8 *)(r6 + IP_PROTO)
	*(u32 *)(r10 - 4) = r1			# key = ip->protocol
	r7 -= r6				# r7 = packet length

	r2 = r10
	r2 += -4
	r1 = by_proto ll
	call BPF_FUNC_map_lookup_elem
	if r0 == 0 goto new_key
	r1 = 1
	lock *(u64 *)(r0 + PS_PACKETS) += r1	# other CPUs update the same entry
	lock *(u64 *)(r0 + PS_BYTES) += r7
	goto pass

new_key:					# first packet of this protocol
	r1 = 1
	*(u64 *)(r10 - 24) = r1			# value.packets
	*(u64 *)(r10 - 16) = r7			# value.bytes
	r2 = r10
	r2 += -4
	r3 = r10
	r3 += -24
	r4 = BPF_NOEXIST			# another CPU inserted it first? then this packet is not counted
	r1 = by_proto ll
	call BPF_FUNC_map_update_elem

pass:
	r0 = XDP_PASS
	exit
	.size	xdp_stats, .-xdp_stats
