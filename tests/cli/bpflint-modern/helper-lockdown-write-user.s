# RUN: bpfasm -g %s -o %t
# FAIL: bpflint --kconfig helper-lockdown-write-user.config %t
# RUN: bpflint --kconfig helper-lockdown-write-user-open.config %t
# KERNEL: reject
# bpf_probe_write_user() is not offered by a kernel locked down for integrity (this machine's
# kernel is built with CONFIG_LOCK_DOWN_KERNEL_FORCE_INTEGRITY): "program of this type cannot
# use helper" although kprobes may call it elsewhere (kernel/trace/bpf_trace.c,
# bpf_tracing_func_proto(): security_locked_down(LOCKDOWN_BPF_WRITE_USER)). bpflint reads the
# configuration with --kconfig (default: the running kernel's).
	.section	kprobe/do_nanosleep,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = 0
	*(u64 *)(r10 - 8) = r1
	r2 = r10
	r2 += -8
	r1 = 0
	r3 = 8
	call 36
	r0 = 0
	exit
	.size	prog, .-prog
	.section	license,"aw",@progbits
	.globl	LICENSE
LICENSE:
	.asciz	"GPL"
