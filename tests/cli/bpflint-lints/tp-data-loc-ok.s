# RUN: bpfasm -g %s -o %t
# RUN: bpflint --tracefs tracefs %t
# negative: sched_process_exec's __data_loc filename and pid
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl

	.section	"tracepoint/sched/sched_process_exec","ax",@progbits
	.globl	tp_data_loc_ok
	.type	tp_data_loc_ok,@function
tp_data_loc_ok:
	r2 = *(u32 *)(r1 + 8)
	r3 = *(u32 *)(r1 + 12)
	r0 = 0
	exit
	.size	tp_data_loc_ok, .-tp_data_loc_ok
