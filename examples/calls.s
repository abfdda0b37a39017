# calls.s — bpf-to-bpf calls: a static subprogram and a global function.
#
# Shows: `call label` between functions of one object (BPF-to-BPF calls: arguments in r1-r5,
# result in r0, r6-r9 and the stack frame preserved), a *static* function, which the verifier
# checks anew at every call site with the caller's exact register state, and a *global*
# function, which it checks once, on its own, from its BTF prototype alone — so global
# functions need their prototype declared (in `.cdecl`), and each gets its own func_info.
#
#   result = hash32(add_scale(ctx[0], ctx[1]))      with add_scale(a, b) = (a + b) * 3
#   hash32(x) = mix((u32)(x ^ (x >> 32)))            with mix(h) = h * 2654435761 (32 bits)
#
# Runs as a raw tracepoint so BPF_PROG_TEST_RUN can feed it arguments.
# Assemble:  bpfasm -g calls.s -o calls.o

	.cdecl
static __u64 add_scale(__u64 a, __u64 b);	/* static: local symbol */
static __u32 mix(__u32 h);
__u32 hash32(__u64 x);				/* global: verified on its own */
int compute(__u64 *ctx);

__u32 result;
char LICENSE[] SEC("license") = "GPL";
	.endcdecl

	.section	"raw_tp/sys_exit","ax",@progbits
	.globl	compute
	.type	compute,@function
compute:
	r2 = *(u64 *)(r1 + 8)			# b = ctx[1]
	r1 = *(u64 *)(r1 + 0)			# a = ctx[0]
	call add_scale
	r1 = r0
	call hash32
	r1 = result ll
	*(u32 *)(r1 + 0) = r0
	r0 = 0
	exit
	.size	compute, .-compute

	.text
	.type	add_scale,@function
add_scale:					# static __u64 add_scale(__u64 a, __u64 b)
	r0 = r1
	r0 += r2
	r0 *= 3
	exit
	.size	add_scale, .-add_scale

	.globl	hash32
	.type	hash32,@function
hash32:						# __u32 hash32(__u64 x)
	r2 = r1
	r2 >>= 32
	r1 ^= r2
	w1 = w1					# zero-extend: mix takes a __u32
	call mix
	exit					# r0 from mix
	.size	hash32, .-hash32

	.type	mix,@function
mix:						# static __u32 mix(__u32 h)
	w0 = w1
	w0 *= -1640531535			# 2654435761, the golden-ratio multiplier, as s32
	exit
	.size	mix, .-mix
