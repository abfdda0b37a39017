# RUN: bpfasm -g %s -o %t
# RUN: bpflint --tracefs tracefs %t
# RUN: bpflint --tracefs tracefs --report interfaces %t
# negative: whole fields at their offsets (prev_pid, prev_state, 8 bytes of next_comm)
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl

	.section	"tracepoint/sched/sched_switch","ax",@progbits
	.globl	tp_ok
	.type	tp_ok,@function
tp_ok:
	r2 = *(u32 *)(r1 + 24)
	r3 = *(u64 *)(r1 + 32)
	r4 = *(u64 *)(r1 + 48)
	r0 = 0
	exit
	.size	tp_ok, .-tp_ok
