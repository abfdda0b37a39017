# tailcall.s — tail calls through a statically initialised program array.
#
# Shows: a BPF_MAP_TYPE_PROG_ARRAY whose slots are filled at load time by libbpf from the C
# initializer `.values = { [0] = &handle_tcp, ... }` (relocations in .rel.maps), several
# programs in one object, and bpf_tail_call: on success it never returns; if the slot is
# empty it falls through to the next instruction.
#
#   dispatch: TCP -> handle_tcp (XDP_TX), UDP -> handle_udp (XDP_DROP), else XDP_PASS
#
# Assemble:  bpfasm -g tailcall.s -o tailcall.o
# Load:      bpftool prog loadall tailcall.o /sys/fs/bpf/tc_demo pinmaps /sys/fs/bpf/tc_demo_maps

	.cdecl
struct xdp_md;

int dispatch(struct xdp_md *ctx);
int handle_tcp(struct xdp_md *ctx);
int handle_udp(struct xdp_md *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 2);
	__uint(key_size, sizeof(__u32));
	__array(values, int (struct xdp_md *));
} jump_table SEC(".maps") = {
	.values = {
		[0] = &handle_tcp,
		[1] = &handle_udp,
	},
};

char LICENSE[] SEC("license") = "GPL";
	.endcdecl

	.set	SLOT_TCP, 0
	.set	SLOT_UDP, 1
	.include "include/net.inc"			# ETH_P_IP_BE, IPPROTO_TCP, IPPROTO_UDP
	.set	XDP_DROP, 1
	.set	XDP_PASS, 2
	.set	XDP_TX, 3
	.set	BPF_FUNC_tail_call, 12
	# struct xdp_md is UAPI and never changes: plain offsets
	.set	XDP_MD_DATA, 0
	.set	XDP_MD_DATA_END, 4

	.section	xdp,"ax",@progbits

	.globl	dispatch
	.type	dispatch,@function
dispatch:
	r2 = *(u32 *)(r1 + XDP_MD_DATA)
	r3 = *(u32 *)(r1 + XDP_MD_DATA_END)
	r4 = r2
	r4 += 14 + 20				# Ethernet + IPv4
	if r4 > r3 goto pass
	r4 = *(u16 *)(r2 + 12)			# ethhdr.h_proto
	if r4 != ETH_P_IP_BE goto pass
	r4 = *(u8 *)(r2 + 14 + 9)		# iphdr.protocol
	r3 = SLOT_TCP
	if r4 == IPPROTO_TCP goto jump
	r3 = SLOT_UDP
	if r4 != IPPROTO_UDP goto pass
jump:
	r2 = jump_table ll			# bpf_tail_call(ctx in r1, &jump_table, slot in r3)
	call BPF_FUNC_tail_call
pass:						# not IPv4 TCP/UDP, or an empty slot
	r0 = XDP_PASS
	exit
	.size	dispatch, .-dispatch

	.globl	handle_tcp
	.type	handle_tcp,@function
handle_tcp:
	r0 = XDP_TX
	exit
	.size	handle_tcp, .-handle_tcp

	.globl	handle_udp
	.type	handle_udp,@function
handle_udp:
	r0 = XDP_DROP
	exit
	.size	handle_udp, .-handle_udp
