# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# bpf_tail_call needs a prog array
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
	r2 = counts ll
	r3 = 0
	call 12
	r0 = 0
	exit
	.size	prog, .-prog
	.section	license,"aw",@progbits
	.globl	_license
_license:
	.asciz	"GPL"
