# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# Reading a kernel object through a BTF-typed pointer needs a GPL-compatible license
# (kernel/bpf/verifier.c check_ptr_to_btf_access(): "Cannot access kernel 'struct %s' from
# non-GPL compatible program").
	.cdecl
char LICENSE[] SEC("license") = "Dual BSD/MIT";
	.endcdecl
	.section	tp_btf/sched_switch,"ax",@progbits
	.globl	on_switch
	.type	on_switch,@function
on_switch:
	r6 = *(u64 *)(r1 + 8)
	r0 = *(u32 *)(r6 + 0)
	r0 = 0
	exit
	.size	on_switch, .-on_switch
