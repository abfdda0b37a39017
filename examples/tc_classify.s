# tc_classify.s — a tc (SCHED_CLS) classifier using kernel types by name.
#
# Shows: `--btf /sys/kernel/btf/vmlinux` (struct __sk_buff is not declared here, it comes from
# the kernel's BTF), context loads and stores through `offsetof`, direct packet access, a
# read-only global (`.rodata`, settable through a skeleton before load) and a `.bss` counter.
#
#   TCP            -> skb->mark = tcp_mark, TC_ACT_OK
#   UDP to port 9  -> dropped += 1, TC_ACT_SHOT        ("discard" protocol: really discard it)
#   anything else  -> TC_ACT_OK
#
# Assemble:  bpfasm -g --btf /sys/kernel/btf/vmlinux tc_classify.s -o tc_classify.o
# Attach:    tc qdisc add dev eth0 clsact; tc filter add dev eth0 egress bpf da obj tc_classify.o sec tc

	.cdecl
const volatile __u32 tcp_mark = 0x42;	/* .rodata: a skeleton may change it before load */
__u64 dropped;				/* .bss */
int tc_classify(struct __sk_buff *skb);
char LICENSE[] SEC("license") = "GPL";
	.endcdecl

	.include "include/net.inc"			# ETH_HLEN, ETH_P_IP_BE, IPPROTO_TCP, IPPROTO_UDP
	.set	DISCARD_PORT_BE, 0x0900		# htons(9)
	.set	TC_ACT_OK, 0
	.set	TC_ACT_SHOT, 2

	.section	tc,"ax",@progbits
	.globl	tc_classify
	.type	tc_classify,@function
tc_classify:
	r6 = r1					# r6 = skb
	r2 = *(u32 *)(r6 + offsetof(struct __sk_buff, data))
	r3 = *(u32 *)(r6 + offsetof(struct __sk_buff, data_end))
	r1 = r2
	r1 += ETH_HLEN + 20 + 4			# Ethernet + IPv4 (no options) + both L4 ports
	if r1 > r3 goto ok
	r1 = *(u16 *)(r2 + 12)			# ethhdr.h_proto
	if r1 != ETH_P_IP_BE goto ok
	r1 = *(u8 *)(r2 + ETH_HLEN)		# version and header length
	if r1 != 0x45 goto ok			# IPv4 with options: not ours
	r1 = *(u8 *)(r2 + ETH_HLEN + 9)		# iphdr.protocol
	if r1 == IPPROTO_TCP goto mark
	if r1 != IPPROTO_UDP goto ok
	r1 = *(u16 *)(r2 + ETH_HLEN + 20 + 2)	# udphdr.dest
	if r1 != DISCARD_PORT_BE goto ok

	r1 = dropped ll
	r2 = 1
	lock *(u64 *)(r1 + 0) += r2
	r0 = TC_ACT_SHOT
	exit

mark:
	r1 = tcp_mark ll			# .rodata is frozen: the verifier sees the constant
	r1 = *(u32 *)(r1 + 0)
	*(u32 *)(r6 + offsetof(struct __sk_buff, mark)) = r1
ok:
	r0 = TC_ACT_OK
	exit
	.size	tc_classify, .-tc_classify
