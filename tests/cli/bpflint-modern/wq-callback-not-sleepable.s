# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# Linux 6.18 verifies a workqueue callback as sleepable and refuses to set one from a program that
# is not sleepable (measured: "sleepable callback in a program that is not sleepable", then
# "kfunc bpf_wq_set_callback_impl#N failed callback verification"; profile.rs
# wq_callback_sleepable).
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
	r2 = array ll
	r3 = 0
	call bpf_wq_init
	if r0 != 0 goto out
	r1 = r6
	r2 = cb ll
	r3 = 0
	r4 = 0
	call bpf_wq_set_callback_impl
out:
	r0 = 0
	exit
	.size	prog, .-prog

	.text
	.type	cb,@function
cb:
	r0 = 0
	exit
	.size	cb, .-cb
