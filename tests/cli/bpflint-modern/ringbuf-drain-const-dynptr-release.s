# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# The dynptr a bpf_user_ringbuf_drain() callback gets is not the program's: submitting it is
# refused (kernel/bpf/verifier.c check_func_arg(): "cannot release unowned const bpf_dynptr").
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
	r1 = urb ll
	r2 = cb ll
	r3 = 0
	r4 = 0
	call 209
	r0 = 0
	exit
	.size	prog, .-prog

	.text
	.type	cb,@function
cb:
	r2 = 0
	call 199
	r0 = 0
	exit
	.size	cb, .-cb
