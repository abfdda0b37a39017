# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# A global function cannot be called with a bpf_spin_lock held; a static one could
# (kernel/bpf/verifier.c check_func_call(): "use static function instead").
	.cdecl
struct bpf_spin_lock { __u32 val; };
struct val { struct bpf_spin_lock lock; int cnt; };
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct val);
} vals SEC(".maps");
int get(int x);
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
	r1 = vals ll
	call 1
	if r0 == 0 goto out
	r6 = r0
	r1 = r6
	call 93
	r1 = 1
	call get
	r1 = r6
	call 94
out:
	r0 = 0
	exit
	.size	prog, .-prog

	.text
	.globl	get
	.type	get,@function
get:
	r0 = r1
	exit
	.size	get, .-get
