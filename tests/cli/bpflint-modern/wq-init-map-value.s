# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# The `p__map` argument of bpf_wq_init() must be the map itself: a pointer into its value names
# the map too but is then checked as a kernel object and refused (measured on 6.18;
# kernel/bpf/verifier.c check_kfunc_args() KF_ARG_PTR_TO_MAP falls through to KF_ARG_PTR_TO_BTF_ID).
	.cdecl
struct bpf_wq { unsigned long long __opaque[2]; } __attribute__((aligned(8)));
struct elem { int ok; struct bpf_wq w; };
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, int);
	__type(value, struct elem);
} array SEC(".maps");
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, int);
	__type(value, struct elem);
} other SEC(".maps");
extern int bpf_wq_init(struct bpf_wq *wq, void *p__map, unsigned int flags) __ksym;
extern int bpf_wq_set_callback_impl(struct bpf_wq *wq, int (callback_fn)(void *map, int *key, void *value), unsigned int flags, void *aux__ign) __ksym;
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	tc,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = 0
	*(u32 *)(r10 - 4) = r1
	r2 = r10
	r2 += -4
	r1 = array ll
	call 1
	if r0 == 0 goto out
	r6 = r0
	r6 += 8
	r1 = r6
	r2 = r6
	r3 = 0
	call bpf_wq_init
out:
	r0 = 0
	exit
	.size	prog, .-prog

