# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# Walking a pointer field the kernel's trust lists do not name gives an untrusted pointer
# (kernel/bpf/verifier.c check_ptr_to_btf_access(); measured on 6.18: task->parent is
# `untrusted_ptr_task_struct`), and helpers taking a kernel object refuse it
# (check_reg_type(): btf_ptr_types). task_struct offsets are the running kernel's.
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	tp_btf/sched_switch,"ax",@progbits
	.globl	on_switch
	.type	on_switch,@function
on_switch:
	r6 = *(u64 *)(r1 + 8)
	r1 = *(u64 *)(r6 + 1288)
	r2 = r10
	r2 += -64
	r3 = 64
	r4 = 0
	call 141
	r0 = 0
	exit
	.size	on_switch, .-on_switch
