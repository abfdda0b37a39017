# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# next() on stack slots that hold no iterator (kernel/bpf/verifier.c, process_iter_arg(),
# is_iter_reg_valid_init()).
	.cdecl
struct bpf_iter_num { __u64 __opaque[1]; } __attribute__((aligned(8)));
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
