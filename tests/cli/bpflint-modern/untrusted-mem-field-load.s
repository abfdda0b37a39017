# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# task_struct's `void *stack` (at 32 here) is a pointer to no struct: since Linux 6.16 loading
# it gives read-only untrusted memory, read through probe instructions at any offset (before,
# a number) (kernel/bpf/btf.c btf_struct_walk(): WALK_PTR_UNTRUSTED; kernel/bpf/verifier.c
# check_ptr_to_btf_access()).
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	tp_btf/sched_switch,"ax",@progbits
	.globl	on_switch
	.type	on_switch,@function
on_switch:
	r6 = *(u64 *)(r1 + 8)
	r1 = *(u64 *)(r6 + 32)
	r0 = *(u8 *)(r1 + 100)
	r0 = 0
	exit
	.size	on_switch, .-on_switch
