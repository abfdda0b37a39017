# RUN: bpfasm -g %s -o %t
# RUN: bpflint --tracefs tracefs %t
# positive: bytes 12..16 of sys_enter_openat are padding after the 4-byte __syscall_nr
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl

	.section	"tracepoint/syscalls/sys_enter_openat","ax",@progbits
	.globl	tp_padding
	.type	tp_padding,@function
tp_padding:
	r0 = *(u32 *)(r1 + 12)
	r0 = 0
	exit
	.size	tp_padding, .-tp_padding
