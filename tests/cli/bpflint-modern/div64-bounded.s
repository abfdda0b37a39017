# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# The same division checked with a 64-bit compare: the register is bounded, the access is safe.
	.cdecl
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} vals SEC(".maps");
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r6 = *(u32 *)(r1 + 0)
	r1 = 0
	*(u32 *)(r10 - 4) = r1
	r2 = r10
	r2 += -4
	r1 = vals ll
	call 1
	if r0 == 0 goto out
	w6 /= 3
	if r6 > 7 goto out
	r0 += r6
	r0 = *(u8 *)(r0 + 0)
out:
	r0 = 0
	exit
	.size	prog, .-prog
