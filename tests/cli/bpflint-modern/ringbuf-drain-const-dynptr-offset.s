# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# The const dynptr pointer of a bpf_user_ringbuf_drain() callback may be moved, but not passed
# on moved (kernel/bpf/verifier.c check_func_arg_reg_off(), __check_ptr_off_reg():
# "dereference of modified dynptr_ptr ptr").
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
	r1 += 16
	r2 = 0
	r3 = 8
	call 203
	r0 = 0
	exit
	.size	cb, .-cb
