# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# After a division the kernel knows nothing of the register, and a 32-bit division leaves
# all 64 bits unknown (no zero extension: kernel/bpf/verifier.c,
# is_safe_to_compute_dst_reg_range() and adjust_scalar_min_max_vals()). A later 32-bit bound
# does not bound the 64-bit register, so adding it to a pointer is refused.
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
	if w6 > 7 goto out
	r0 += r6
	r0 = *(u8 *)(r0 + 0)
out:
	r0 = 0
	exit
	.size	prog, .-prog
