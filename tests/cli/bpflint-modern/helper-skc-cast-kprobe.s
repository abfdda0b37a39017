# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# bpf_skc_to_tcp_sock() from a kprobe: Linux 6.18 keeps the socket casts for tracing (fentry,
# tp_btf, iterators) and networking programs; kprobe programs cannot call them (measured:
# bpflint/src/helpers_measured.rs).
	.section	kprobe/do_nanosleep,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = 0
	call 137
	r0 = 0
	exit
	.size	prog, .-prog
	.section	license,"aw",@progbits
	.globl	LICENSE
LICENSE:
	.asciz	"GPL"
