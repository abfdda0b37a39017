# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# A store into an untrusted kptr field writes NULL or a pointer to an object of the field's
# type, exactly: a task pointer moved by a variable offset is refused (kernel/bpf/verifier.c:
# check_map_kptr_access(), map_kptr_match_type() -> __check_ptr_off_reg(): "variable
# trusted_ptr_ access var_off=(0x0; 0x10) disallowed").
	.cdecl
struct task_struct { int pid; };
struct val {
	long x;
	struct task_struct __attribute__((btf_type_tag("kptr_untrusted"))) *t;
};
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, struct val);
} m SEC(".maps");
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	tp_btf/sched_switch,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r6 = *(u64 *)(r1 + 8)
	r1 = 0
	*(u32 *)(r10 - 4) = r1
	r2 = r10
	r2 += -4
	r1 = m ll
	call 1
	if r0 == 0 goto out
	r2 = *(u64 *)(r0 + 0)
	r2 &= 16
	r6 += r2
	*(u64 *)(r0 + 8) = r6
out:
	r0 = 0
	exit
	.size	prog, .-prog
