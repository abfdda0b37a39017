# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# A global function's `struct bpf_dynptr *` argument: an initialised dynptr on the caller's stack
# (kernel/bpf/verifier.c btf_check_func_arg_match(), process_dynptr_func()).
	.cdecl
struct bpf_dynptr { unsigned long long a, b; };
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} vals SEC(".maps");
int get(const struct bpf_dynptr *d);
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	raw_tp,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = 0
	*(u32 *)(r10 - 4) = r1
	r2 = r10
	r2 += -4
	r1 = vals ll
	call 1
	if r0 == 0 goto out
	r1 = r0
	r2 = 8
	r3 = 0
	r4 = r10
	r4 += -24
	call 197
	r1 = r10
	r1 += -24
	call get
out:
	r0 = 0
	exit
	.size	prog, .-prog

	.text
	.globl	get
	.type	get,@function
get:
	r0 = 0
	exit
	.size	get, .-get
