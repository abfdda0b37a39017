# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# A pointer into untrusted memory (bpf_rdonly_cast(0, 0)) advanced on every turn of a
# billion-iteration loop: the kernel does not track its offset, so the loop converges (Linux
# 6.16+: kernel/bpf/verifier.c adjust_ptr_min_max_vals(), PTR_TO_MEM | PTR_UNTRUSTED).
	.cdecl
struct bpf_iter_num { __u64 __opaque[1]; } __attribute__((aligned(8)));
extern int bpf_iter_num_new(struct bpf_iter_num *it, int start, int end) __ksym;
extern int *bpf_iter_num_next(struct bpf_iter_num *it) __ksym;
extern void bpf_iter_num_destroy(struct bpf_iter_num *it) __ksym;
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym;
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = 0
	r2 = 0
	call bpf_rdonly_cast
	r6 = r0
	r7 = 0
	r1 = r10
	r1 += -8
	r2 = 0
	r3 = 1000000000
	call bpf_iter_num_new
loop:
	r1 = r10
	r1 += -8
	call bpf_iter_num_next
	if r0 == 0 goto done
	r6 += 4
	r1 = *(u32 *)(r6 + 0)
	r7 += r1
	goto loop
done:
	r1 = r10
	r1 += -8
	call bpf_iter_num_destroy
	r0 = r7
	exit
	.size	prog, .-prog
