# RUN: bpfasm -g %s -o %t
# RUN: bpflint --tracefs tracefs %t
# positive: the event does not exist in the format directory (another kernel)
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl

	.section	"tracepoint/sched/sched_no_such_event","ax",@progbits
	.globl	tp_missing
	.type	tp_missing,@function
tp_missing:
	r0 = *(u32 *)(r1 + 8)
	r0 = 0
	exit
	.size	tp_missing, .-tp_missing
