# RUN: bpfasm -g --btf /sys/kernel/btf/vmlinux %s -o %t
# RUN: bpflint %t
# negative: the same walk with a CO-RE relocation (offsetof on the kernel's BTF)
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl

	.section	"kprobe/do_nanosleep","ax",@progbits
	.globl	probe_read_core_ok
	.type	probe_read_core_ok,@function
probe_read_core_ok:
	call 35
	r3 = r0
	r3 += offsetof(struct task_struct, tgid)
	r1 = r10
	r1 += -8
	r2 = 4
	call 113
	r0 = 0
	exit
	.size	probe_read_core_ok, .-probe_read_core_ok
