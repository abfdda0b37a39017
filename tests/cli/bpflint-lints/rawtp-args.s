# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# positive: sched_switch has 4 arguments (preempt, prev, next, prev_state): argument 5 (offset 40)
# passes the load (the verifier allows 12) and fails the attach with EINVAL
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl

	.section	"raw_tp/sched_switch","ax",@progbits
	.globl	rawtp_args
	.type	rawtp_args,@function
rawtp_args:
	r0 = *(u64 *)(r1 + 40)
	r0 = 0
	exit
	.size	rawtp_args, .-rawtp_args
