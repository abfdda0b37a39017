# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# bpf_get_current_comm() from a socket filter: Linux 6.18 offers it (and other task helpers) to
# every program type of a privileged loader (measured: scripts/probe-helpers.py, the table in
# bpflint/src/helpers_measured.rs that bpflint/tests/helpers_kernel.rs re-checks).
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = r10
	r1 += -16
	w2 = 16
	call 16
	r0 = 0
	exit
	.size	prog, .-prog
	.section	license,"aw",@progbits
	.globl	LICENSE
LICENSE:
	.asciz	"GPL"
