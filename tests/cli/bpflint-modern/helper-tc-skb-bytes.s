# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# tc programs: bpf_skb_load_bytes, bpf_strtol and bpf_check_mtu
# (net/core/filter.c tc_cls_act_func_proto; kernel/bpf/helpers.c bpf_base_func_proto).
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	tc,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r6 = r1
	r2 = 0
	r3 = r10
	r3 += -8
	r4 = 4
	call 26
	r1 = r10
	r1 += -8
	r2 = 4
	r3 = 0
	r4 = r10
	r4 += -16
	call 105
	r1 = r6
	r2 = 0
	r3 = r10
	r3 += -24
	r4 = 0
	*(u32 *)(r10 - 24) = r4
	r5 = 0
	call 163
	r0 = 1
	exit
	.size	prog, .-prog
