# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# A constant added to a pointer to a kernel struct moves its fixed offset, so the load
# below reads task->real_parent (kernel/bpf/verifier.c adjust_ptr_min_max_vals(), then
# check_ptr_to_btf_access()).
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	tp_btf/sched_switch,"ax",@progbits
	.globl	on_switch
	.type	on_switch,@function
on_switch:
	r6 = *(u64 *)(r1 + 8)
	r6 += 1280
	r1 = *(u64 *)(r6 + 0)
	r2 = r10
	r2 += -64
	r3 = 64
	r4 = 0
	call 141
	r0 = 0
	exit
	.size	on_switch, .-on_switch
