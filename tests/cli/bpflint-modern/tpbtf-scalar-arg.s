# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# tp_btf arguments are typed by the traced function's prototype in the kernel's BTF
# (kernel/bpf/btf.c, btf_ctx_access()): sched_switch's fourth argument is `unsigned int
# prev_state`, a scalar, so reading it and spilling it as 4 bytes is fine.
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	tp_btf/sched_switch,"ax",@progbits
	.globl	on_switch
	.type	on_switch,@function
on_switch:
	r2 = *(u64 *)(r1 + 24)
	*(u32 *)(r10 - 4) = w2
	r3 = *(u32 *)(r10 - 4)
	r0 = 0
	exit
	.size	on_switch, .-on_switch
