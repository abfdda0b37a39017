# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# negative: argument 3 of sched_switch (prev_state, offset 24)
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl

	.section	"raw_tp/sched_switch","ax",@progbits
	.globl	rawtp_ok
	.type	rawtp_ok,@function
rawtp_ok:
	r0 = *(u64 *)(r1 + 24)
	r0 = 0
	exit
	.size	rawtp_ok, .-rawtp_ok
