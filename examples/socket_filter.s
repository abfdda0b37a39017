# socket_filter.s — a classic socket filter, written by hand: keep IPv4 TCP packets, drop
# everything else.
#
# Shows: the `socket` section, legacy packet loads (`skb[...]`, which need the skb in r6), and
# SKF_NET_OFF-relative offsets, so the same filter works on packet sockets (data starts at the
# Ethernet header) and on TCP/UDP sockets or BPF_PROG_TEST_RUN (data starts at the IP header).
# The prototype in `.cdecl` gives the program its BTF FUNC; `-g` adds line info.
#
# Assemble:  bpfasm -g socket_filter.s -o socket_filter.o
# Load:      bpftool prog load socket_filter.o /sys/fs/bpf/socket_filter type socket
# Attach:    setsockopt(fd, SOL_SOCKET, SO_ATTACH_BPF, &prog_fd, sizeof(prog_fd))

	.cdecl
int tcp_only(struct __sk_buff *skb);
char LICENSE[] SEC("license") = "GPL";
	.endcdecl

	.set	SKF_NET_OFF, -0x100000		# "relative to the network header"
	.include "include/net.inc"			# IPPROTO_TCP
	.set	ACCEPT, -1			# keep the whole packet
	.set	DROP, 0

	.section	socket,"ax",@progbits
	.globl	tcp_only
	.type	tcp_only,@function
tcp_only:
	r6 = r1				# legacy packet loads read the skb from r6
	r0 = *(u8 *)skb[SKF_NET_OFF + 0]	# IPv4: version in the high nibble
	r0 >>= 4
	if r0 != 4 goto drop
	r0 = *(u8 *)skb[SKF_NET_OFF + 9]	# IPv4 protocol
	if r0 != IPPROTO_TCP goto drop
	r0 = ACCEPT
	exit
drop:					# (a legacy load past the end of the packet ends the program with r0 = 0)
	r0 = DROP
	exit
	.size	tcp_only, .-tcp_only
