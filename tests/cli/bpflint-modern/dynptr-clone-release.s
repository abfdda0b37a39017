# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# A clone of a ring buffer dynptr shares its reference: submitting the original invalidates the
# clone (kernel/bpf/verifier.c unmark_stack_slots_dynptr()).
	.cdecl
struct bpf_dynptr { unsigned long long a, b; };
extern int bpf_dynptr_clone(const struct bpf_dynptr *ptr, struct bpf_dynptr *clone__uninit) __ksym;
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} rb SEC(".maps");
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	raw_tp,"ax",@progbits
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
	r2 = r10
	r2 += -32
	call bpf_dynptr_clone
	r1 = r10
	r1 += -16
	r2 = 0
	call 199
	r1 = r10
	r1 += -40
	r2 = 8
	r3 = r10
	r3 += -32
	r4 = 0
	r5 = 0
	call 201
	r0 = 0
	exit
	.size	prog, .-prog
