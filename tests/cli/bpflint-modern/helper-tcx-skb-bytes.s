# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: offline bpftool's libbpf 1.1 does not know the tcx/ingress section (libbpf 1.3+)
# tcx programs are tc programs (expected attach type BPF_TCX_INGRESS): bpf_skb_load_bytes
# (net/core/filter.c tc_cls_act_func_proto).
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	tcx/ingress,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r2 = 0
	r3 = r10
	r3 += -8
	r4 = 4
	call 26
	r0 = 1
	exit
	.size	prog, .-prog
