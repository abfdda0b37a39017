# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# An iterator's stack slots are opaque: reading them is refused (kernel/bpf/verifier.c,
# check_stack_read_fixed_off(): STACK_ITER bytes are not readable).
	.cdecl
struct bpf_iter_num { __u64 __opaque[1]; } __attribute__((aligned(8)));
extern int bpf_iter_num_new(struct bpf_iter_num *it, int start, int end) __ksym;
extern int *bpf_iter_num_next(struct bpf_iter_num *it) __ksym;
extern void bpf_iter_num_destroy(struct bpf_iter_num *it) __ksym;
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
	r1 = *(u64 *)(r10 - 8)
	goto loop
done:
	r1 = r10
	r1 += -8
	call bpf_iter_num_destroy
	r0 = 0
	exit
	.size	sum, .-sum
