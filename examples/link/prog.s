# link/prog.s — an XDP program calling `hash32` from another object; `bpfld` resolves the call.
	.cdecl
extern __u32 hash32(__u32 x);
int xdp_hash(struct xdp_md *ctx);
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} last_hash SEC(".maps");
char LICENSE[] SEC("license") = "GPL";
	.endcdecl

	.section	xdp,"ax",@progbits
	.globl	xdp_hash
	.type	xdp_hash,@function
xdp_hash:
	r1 = *(u32 *)(r1 + 12)			# ctx->ingress_ifindex
	call hash32
	*(u32 *)(r10 - 8) = r0
	w1 = 0
	*(u32 *)(r10 - 4) = r1
	r2 = r10
	r2 += -4
	r1 = last_hash ll
	r3 = r10
	r3 += -8
	r4 = BPF_ANY
	call BPF_FUNC_map_update_elem
	r0 = XDP_PASS
	exit
