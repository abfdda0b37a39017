# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# A bpf_user_ringbuf_drain() callback gets a pointer to a const dynptr over the sample in R1
# and the context in R2: it may read the sample through it (kernel/bpf/verifier.c,
# set_user_ringbuf_callback_state(), process_dynptr_func() with MEM_RDONLY).
	.cdecl
struct bpf_dynptr { unsigned long long a, b; };
struct {
	__uint(type, BPF_MAP_TYPE_USER_RINGBUF);
	__uint(max_entries, 4096);
} urb SEC(".maps");
static long cb(struct bpf_dynptr *d, void *ctx);
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	raw_tp,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = 0
	*(u64 *)(r10 - 8) = r1
	r1 = urb ll
	r2 = cb ll
	r3 = r10
	r3 += -8
	r4 = 0
	call 209
	r0 = 0
	exit
	.size	prog, .-prog

	.text
	.type	cb,@function
cb:
	r6 = r2
	r2 = 0
	r3 = 8
	call 203
	if r0 == 0 goto out
	r1 = *(u64 *)(r0 + 0)
	*(u64 *)(r6 + 0) = r1
out:
	r0 = 0
	exit
	.size	cb, .-cb
