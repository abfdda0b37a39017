# RUN: bpfasm %s -o %t
# RUN: bpfasm -d %t
# `offsetof` is a plain constant for local types, a CO-RE relocation for relocatable ones;
# C constants (enumerators, UAPI) are usable as operands and in .set.
	.cdecl
struct stats { __u64 packets; __u64 bytes; };
struct task { int pid; int tgid; } __attribute__((preserve_access_index));
enum { MY_LIMIT = 7 };
	.endcdecl
	.set	BYTES, offsetof(struct stats, bytes)
	.section xdp,"ax",@progbits
	.globl prog
	.type prog,@function
prog:
	r2 = *(u64 *)(r1 + BYTES)
	r3 = *(u32 *)(r1 + offsetof(struct task, tgid))
	r4 = MY_LIMIT
	r0 = XDP_PASS
	exit
