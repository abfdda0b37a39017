# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# Without --prog-type, a section libbpf cannot classify is not loaded at all (libbpf: "missing
# BPF prog type, check ELF section name"); bpflint says so and how to tell it the type.
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	from-netdev,"ax",@progbits
	.globl	handle
	.type	handle,@function
handle:
	r2 = *(u32 *)(r1 + 76)
	r3 = *(u32 *)(r1 + 80)
	r4 = r2
	r4 += 14
	if r4 > r3 goto out
	r0 = *(u8 *)(r2 + 12)
out:
	r0 = 0
	exit
	.size	handle, .-handle
