# RUN: bpfasm -g %s -o %t
# FAIL: bpflint --message-format json %t
# map lookup result used without a NULL check, rendered as json
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
	r1 = 0
	*(u32 *)(r10 - 4) = r1
	r2 = r10
	r2 += -4
	r1 = counts ll
	call 1
	r0 = *(u64 *)(r0 + 0)
	exit
	.size	prog, .-prog
	.section	license,"aw",@progbits
	.globl	_license
_license:
	.asciz	"GPL"
