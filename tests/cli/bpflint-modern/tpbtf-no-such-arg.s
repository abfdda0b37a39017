# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# sched_switch has four arguments; reading a fifth is refused (kernel/bpf/btf.c,
# btf_ctx_access(): "func '%s' doesn't have %d-th argument").
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	tp_btf/sched_switch,"ax",@progbits
	.globl	on_switch
	.type	on_switch,@function
on_switch:
	r2 = *(u64 *)(r1 + 32)
	*(u32 *)(r10 - 4) = w2
	r3 = *(u32 *)(r10 - 4)
	r0 = 0
	exit
	.size	on_switch, .-on_switch
