# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# The outer of two held resilient locks is released first (kernel/bpf/verifier.c
# process_spin_lock(): "bpf_res_spin_unlock cannot be out of order").
	.cdecl
struct bpf_res_spin_lock { __u32 val; };
struct val { struct bpf_res_spin_lock lock; int cnt; };
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct val);
} vals SEC(".maps");
extern int bpf_res_spin_lock(struct bpf_res_spin_lock *lock) __ksym;
extern void bpf_res_spin_unlock(struct bpf_res_spin_lock *lock) __ksym;
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
	r1 = 1
	*(u32 *)(r10 - 4) = r1
	r2 = r10
	r2 += -4
	r1 = vals ll
	call 1
	if r0 == 0 goto out
	r7 = r0
	r1 = r6
	call bpf_res_spin_lock
	if w0 != 0 goto out
	r1 = r7
	call bpf_res_spin_lock
	if w0 != 0 goto unlock6
	r1 = r6
	call bpf_res_spin_unlock
	r1 = r7
	call bpf_res_spin_unlock
	goto out
unlock6:
	r1 = r6
	call bpf_res_spin_unlock
out:
	r0 = 0
	exit
	.size	prog, .-prog
