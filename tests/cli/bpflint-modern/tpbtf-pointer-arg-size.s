# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# sched_switch's second argument is `struct task_struct *prev`: a pointer argument of a
# BTF-typed context may only be read as 8 bytes (kernel/bpf/btf.c, btf_ctx_access():
# "func '%s' size %d must be 8").
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	tp_btf/sched_switch,"ax",@progbits
	.globl	on_switch
	.type	on_switch,@function
on_switch:
	r2 = *(u32 *)(r1 + 8)
	*(u32 *)(r10 - 4) = w2
	r3 = *(u32 *)(r10 - 4)
	r0 = 0
	exit
	.size	on_switch, .-on_switch
