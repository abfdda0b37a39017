# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# bpf_iter_num_new() acquires a reference that only bpf_iter_num_destroy() releases: exiting
# with the iterator alive leaks it (kernel/bpf/verifier.c, mark_stack_slots_iter() and the
# reference check at exit).
	.cdecl
struct bpf_iter_num { __u64 __opaque[1]; } __attribute__((aligned(8)));
extern int bpf_iter_num_new(struct bpf_iter_num *it, int start, int end) __ksym;
extern int *bpf_iter_num_next(struct bpf_iter_num *it) __ksym;
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	raw_tp/sys_enter,"ax",@progbits
	.globl	sum
	.type	sum,@function
sum:
	r6 = 0
	r1 = r10
	r1 += -8
	r2 = 0
	r3 = 100
	call bpf_iter_num_new
loop:
	r1 = r10
	r1 += -8
	call bpf_iter_num_next
	if r0 == 0 goto done
	r1 = *(u32 *)(r0 + 0)
	r6 += r1
	goto loop
done:
	r0 = 0
	exit
	.size	sum, .-sum
