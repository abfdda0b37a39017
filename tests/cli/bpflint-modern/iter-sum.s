# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# An open-coded iterator loop (bpf_iter_num_new/next/destroy): the kernel forks at each next()
# (drained: NULL; active: an element, one deeper) and the loop converges because the sum in r6,
# which no check relies on, is widened to unknown against the previous visit of next()
# (kernel/bpf/verifier.c, process_iter_next_call(), widen_imprecise_scalars()).
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
	goto loop
done:
	r1 = r10
	r1 += -8
	call bpf_iter_num_destroy
	r0 = 0
	exit
	.size	sum, .-sum
