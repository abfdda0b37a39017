# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# A ring buffer dynptr (bpf_ringbuf_reserve_dynptr), a slice of it (bpf_dynptr_data, NULL-checked)
# written through, then submitted or discarded on every path (kernel/bpf/verifier.c,
# process_dynptr_func(), mark_stack_slots_dynptr()).
	.cdecl
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} rb SEC(".maps");
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
