# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# task->real_parent is on the kernel's RCU list (`struct task_struct__safe_rcu` in its BTF):
# read in a non-sleepable program it is an `rcu_ptr_task_struct`, which helpers taking a
# task accept (kernel/bpf/verifier.c check_ptr_to_btf_access(), type_is_rcu()).
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	tp_btf/sched_switch,"ax",@progbits
	.globl	on_switch
	.type	on_switch,@function
on_switch:
	r6 = *(u64 *)(r1 + 8)
	r1 = *(u64 *)(r6 + 1280)
	r2 = r10
	r2 += -64
	r3 = 64
	r4 = 0
	call 141
	r0 = 0
	exit
	.size	on_switch, .-on_switch
