# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# pruning must not hide the path where the offset is 8: the first path (r7 = 0) saves its
# state at `join`, and `r0 += r7` makes r7 precise there (the kernel's precision tracking),
# so the second path (r7 = 8) is not pruned against it and its read is out of bounds (with
# r7 left imprecise the second path would be pruned: a false ACCEPT)
	.cdecl
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");
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
	r1 = counts ll
	call 1
	if r0 == 0 goto out
	r7 = 8
	if r6 > 100 goto join
	r7 = 0
	r8 = 1
	r8 = 2
	r8 = 3
	r8 = 4
	r8 = 5
	r8 = 6
	r8 = 7
	r8 = 8
join:
	r0 += r7
	r0 = *(u64 *)(r0 + 0)
out:
	r0 = 0
	exit
	.size	prog, .-prog
	.section	license,"aw",@progbits
	.globl	_license
_license:
	.asciz	"GPL"
