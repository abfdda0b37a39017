# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# A load through a kernel pointer must stay inside the member it starts in: comm[16] at
# 1752 ends at 1768 (kernel/bpf/btf.c btf_struct_walk(): "access beyond the end of member").
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	tp_btf/sched_switch,"ax",@progbits
	.globl	on_switch
	.type	on_switch,@function
on_switch:
	r6 = *(u64 *)(r1 + 8)
	r1 = *(u64 *)(r6 + 1762)
	r0 = 0
	exit
	.size	on_switch, .-on_switch
