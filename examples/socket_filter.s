# A socket filter written by hand: accept IPv4 TCP packets, drop everything else.
# Assemble:  bpfasm socket_filter.s -o socket_filter.o
# Load:      bpftool prog load socket_filter.o /sys/fs/bpf/socket_filter type socket
	.set	ETH_P_IP, 0x0800
	.set	IPPROTO_TCP, 6
	.set	ACCEPT, -1			# keep the whole packet

	.section	socket,"ax",@progbits
	.globl	tcp_only
	.type	tcp_only,@function
tcp_only:
	r6 = r1				# r6 = skb (legacy packet loads use it)
	r0 = *(u16 *)skb[12]		# ethertype, already in host order
	if r0 != ETH_P_IP goto drop
	r0 = *(u8 *)skb[23]		# IPv4 protocol
	if r0 != IPPROTO_TCP goto drop
	r0 = ACCEPT
	exit
drop:
	r0 = 0
	exit
	.size	tcp_only, .-tcp_only

	.section	license,"aw",@progbits
	.globl	_license
_license:
	.asciz	"GPL"
