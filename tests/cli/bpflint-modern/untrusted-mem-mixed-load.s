# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# One load reads a task_struct on one path and untrusted memory (bpf_rdonly_cast(0, 0)) on the
# other: since Linux 6.16 both go through probe instructions and may share it (kernel/bpf/
# verifier.c save_aux_ptr_type(): allow_trust_mismatch, is_ptr_to_mem_or_btf_id()).
	.cdecl
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym;
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	tp_btf/sched_switch,"ax",@progbits
	.globl	on_switch
	.type	on_switch,@function
on_switch:
	r6 = *(u64 *)(r1 + 8)
	call 7
	if r0 == 0 goto cast
	r1 = r6
	goto load
cast:
	r1 = 0
	r2 = 0
	call bpf_rdonly_cast
	r1 = r0
load:
	r0 = *(u64 *)(r1 + 0)
	r0 = 0
	exit
	.size	on_switch, .-on_switch
