# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# A ring buffer dynptr is a reference: exiting without submit/discard leaks it.
	.cdecl
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} rb SEC(".maps");
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	tp_btf/sched_switch,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = rb ll
	r2 = 8
	r3 = 0
	r4 = r10
	r4 += -16
	call 198
	r1 = r10
	r1 += -16
	r2 = 0
	r3 = 8
	call 203
out:
	r0 = 0
	exit
	.size	prog, .-prog
