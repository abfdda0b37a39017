# RUN: bpfasm -g %s -o %t
# RUN: bpflint --tracefs tracefs %t
# negative: sys_enter_openat's filename (a stable ABI)
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl

	.section	"tracepoint/syscalls/sys_enter_openat","ax",@progbits
	.globl	tp_syscall_ok
	.type	tp_syscall_ok,@function
tp_syscall_ok:
	r2 = *(u64 *)(r1 + 24)
	r0 = 0
	exit
	.size	tp_syscall_ok, .-tp_syscall_ok
