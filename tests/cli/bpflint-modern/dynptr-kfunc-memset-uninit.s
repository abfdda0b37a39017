# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# bpf_dynptr_memset() on stack slots no dynptr was created in: a kfunc's struct bpf_dynptr *
# argument needs an initialised dynptr unless named __uninit (Linux 6.16+: kernel/bpf/verifier.c
# process_dynptr_func(): "Expected an initialized dynptr as arg #0").
	.cdecl
struct bpf_dynptr { __u64 __opaque[2]; } __attribute__((aligned(8)));
extern int bpf_dynptr_memset(struct bpf_dynptr *p, __u32 offset, __u32 size, __u8 val) __ksym;
char buf[64];
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	tc,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = r10
	r1 += -16
	r2 = 0
	r3 = 16
	r4 = 0
	call bpf_dynptr_memset
	r0 = 0
	exit
	.size	prog, .-prog
