# RUN: bpfasm -g %s -o %t
# RUN: bpflint --tracefs tracefs %t
# positive: prev_state is a long (8 bytes) on this kernel; the program reads 4 (an older int layout)
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl

	.section	"tracepoint/sched/sched_switch","ax",@progbits
	.globl	tp_size_mismatch
	.type	tp_size_mismatch,@function
tp_size_mismatch:
	r0 = *(u32 *)(r1 + 32)
	r0 = 0
	exit
	.size	tp_size_mismatch, .-tp_size_mismatch
