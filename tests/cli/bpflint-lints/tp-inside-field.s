# RUN: bpfasm -g %s -o %t
# RUN: bpflint --tracefs tracefs %t
# positive: offset 36 is inside prev_state (long at 32): a layout where prev_state was an int
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl

	.section	"tracepoint/sched/sched_switch","ax",@progbits
	.globl	tp_inside_field
	.type	tp_inside_field,@function
tp_inside_field:
	r0 = *(u32 *)(r1 + 36)
	r0 = 0
	exit
	.size	tp_inside_field, .-tp_inside_field
