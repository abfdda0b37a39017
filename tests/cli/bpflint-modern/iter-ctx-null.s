# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# An iterator program's context is its target's prototype (`bpf_iter_task(meta, task)`), and
# the task may be NULL (task_iter.c ctx_arg_info: PTR_TO_BTF_ID_OR_NULL | PTR_TRUSTED): the
# last call of an iteration has no task, so it must be checked before it is read.
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	iter/task,"ax",@progbits
	.globl	dump
	.type	dump,@function
dump:
	r2 = *(u64 *)(r1 + 8)
	r0 = *(u32 *)(r2 + 0)
	r0 = 0
	exit
	.size	dump, .-dump
