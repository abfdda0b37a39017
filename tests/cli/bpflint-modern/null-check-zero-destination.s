# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# The same comparison written the other way round, "r1 != r0" with r1 = 0: no NULL inference
# either (check_cond_jmp_op(): BPF_K with imm 0 only).
	.cdecl
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, long);
} m SEC(".maps");
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = 0
	*(u32 *)(r10 - 4) = r1
	r2 = r10
	r2 += -4
	r1 = m ll
	call 1
	r1 = 0
	if r1 != r0 goto use
	r0 = 0
	exit
use:
	r0 = *(u64 *)(r0 + 0)
	r0 = 0
	exit
	.size	prog, .-prog
