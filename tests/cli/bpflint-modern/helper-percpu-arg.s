# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# bpf_this_cpu_ptr() takes a per-CPU kernel object (a __percpu ksym or kptr), not program
# memory: a map value is refused (kernel/bpf/verifier.c check_reg_type(): ARG_PTR_TO_PERCPU_BTF_ID,
# percpu_btf_ptr_types).
	.cdecl
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, long);
} m SEC(".maps");
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	tp_btf/sched_switch,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = 0
	*(u32 *)(r10 - 4) = r1
	r2 = r10
	r2 += -4
	r1 = m ll
	call 1
	if r0 == 0 goto out
	r1 = r0
	call 154
out:
	r0 = 0
	exit
	.size	prog, .-prog
