# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# `r <<= 32; r s>>= 32` sign-extends a 32-bit value: the kernel keeps the bounds through the
# left shift when the 32-bit ones are non-negative (kernel/bpf/verifier.c
# __scalar64_min_max_lsh()), so after `0 s> r8` fails r8 is in [0, 47] and 47 - r8 indexes a
# 48-byte map value safely.
	.cdecl
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, int); __type(value, char[48]); } m SEC(".maps");
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	tracepoint/syscalls/sys_enter_nanosleep,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = 0
	*(u32 *)(r10 - 4) = r1
	r2 = r10
	r2 += -4
	r1 = m ll
	call 1
	if r0 == 0 goto out
	r7 = r0
	call 7
	r0 &= 63
	r0 -= 16
	r9 = 47
	r1 = 0
	r8 = r0
	r8 <<= 32
	r8 s>>= 32
	if r1 s> r8 goto out
	r9 -= r8
	r1 = r9
	r1 <<= 32
	r1 s>>= 32
	r7 += r1
	r0 = *(u8 *)(r7 + 0)
out:
	r0 = 0
	exit
	.size	prog, .-prog
