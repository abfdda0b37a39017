# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# as precision-join.s, but the offset reaches the pointer through a spill, a fill and a
# copy: backtracking follows it through the stack slot back to r7 in the state saved at `join`
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
	*(u64 *)(r10 - 16) = r7
	r8 = *(u64 *)(r10 - 16)
	r9 = r8
	r9 += 0
	r0 += r9
	r0 = *(u64 *)(r0 + 0)
out:
	r0 = 0
	exit
	.size	prog, .-prog
	.section	license,"aw",@progbits
	.globl	_license
_license:
	.asciz	"GPL"
