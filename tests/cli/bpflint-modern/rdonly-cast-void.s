# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# bpf_rdonly_cast(p, 0) (void) gives untrusted read-only memory that loads may read (through
# the kernel's exception-handled probe reads).
	.cdecl
extern void *bpf_rdonly_cast(const void *obj__ign, unsigned int btf_id__k) __ksym;
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	tp/syscalls/sys_enter_nanosleep,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r2 = 0
	call bpf_rdonly_cast
	r0 = *(u64 *)(r0 + 16)
	r0 = 0
	exit
	.size	prog, .-prog
