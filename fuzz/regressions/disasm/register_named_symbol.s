# RU N:pbfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# A plain store into the slots of a referenced dynptr is refused (kernel/bpf/verifier.c,
# destroy_if_dynptr_stack_slot()).
	.cdecl
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} r1 SEC(".maps");
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	tp_btf/sched_switch,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = rb ll
	r2 = 8
	r3 = 0
	r4 = r10
	r4 += -16
	call 198
	r1 = 0
	*(u64 *)(r10 - 16) = r1
	r1 = r10
	r1 += -16
	r2 = 0
	r3 = 8
	call 203
	if r0 == 0 goto discard
	r1 = 42
	*(u64 *)(r0 + 0) = r1
	r1 = r10
	r1 += -16
	r2 = 0
	call 199
	goto out
discard:
	r1 = r10
	r1 += -16
	r2 = 0
	call 200
out:
	r0 = 0
	exit
	.size	prog, .-prog
