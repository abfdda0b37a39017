# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# negative: stack-map-trace.s without the map-trace instrumentation model
	.cdecl
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");
char LICENSE[] SEC("license") = "GPL";
	.endcdecl

	.section	"xdp","ax",@progbits
	.globl	maptrace488
	.type	maptrace488,@function
maptrace488:
	r1 = 0
	*(u64 *)(r10 - 488) = r1
	*(u64 *)(r10 - 16) = r1
	*(u64 *)(r10 - 8) = r1
	r1 = counts ll
	r2 = r10
	r2 += -8
	r3 = r10
	r3 += -16
	r4 = 0
	call 2					# bpf_map_update_elem
	r0 = 2
	exit
	.size	maptrace488, .-maptrace488
