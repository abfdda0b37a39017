# RUN: bpfasm -g %s -o %t
# RUN: bpflint --tracefs tracefs %t
# RUN: bpflint --tracefs tracefs --message-format json %t
# RUN: bpflint --tracefs tracefs --message-format sarif %t
# positive: sched_switch's record is 64 bytes; reading next_prio as if a 6.x field were added
# after it reads bytes 64..68: loaded, then the attach fails with EACCES
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl

	.section	"tracepoint/sched/sched_switch","ax",@progbits
	.globl	tp_past_record
	.type	tp_past_record,@function
tp_past_record:
	r0 = *(u32 *)(r1 + 64)
	r0 = 0
	exit
	.size	tp_past_record, .-tp_past_record
