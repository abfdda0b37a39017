# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# kprobe.multi programs are kprobe programs (expected attach type BPF_TRACE_KPROBE_MULTI):
# the base and tracing helpers are theirs (kernel/trace/bpf_trace.c kprobe_prog_func_proto).
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	kprobe.multi/do_nanosleep,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	call 14
	call 8
	r0 = 1
	exit
	.size	prog, .-prog
