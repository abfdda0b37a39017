# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# Read-only untrusted memory (task_struct's `void *stack`, at 32 here) cannot be written
# (kernel/bpf/verifier.c check_mem_access(): "cannot write into rdonly_untrusted_mem").
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	tp_btf/sched_switch,"ax",@progbits
	.globl	on_switch
	.type	on_switch,@function
on_switch:
	r6 = *(u64 *)(r1 + 8)
	r1 = *(u64 *)(r6 + 32)
	r0 = 0
	*(u8 *)(r1 + 0) = r0
	exit
	.size	on_switch, .-on_switch
