# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# The key bpf_for_each_map_elem() hands its callback is read-only: a helper may not write into
# it (kernel/bpf/verifier.c check_helper_mem_access(): PTR_TO_MAP_KEY with BPF_WRITE).
	.cdecl
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, long);
} m SEC(".maps");
static long cb(void *map, int *key, long *value, void *ctx);
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = m ll
	r2 = cb ll
	r3 = 0
	r4 = 0
	call 164
	r0 = 0
	exit
	.size	prog, .-prog

	.text
	.type	cb,@function
cb:
	r1 = r2
	w2 = 4
	call 16
	r0 = 0
	exit
	.size	cb, .-cb
