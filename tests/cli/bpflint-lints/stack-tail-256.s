# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# positive: a subprogram that tail-calls, called from a 264-byte frame (272 counted, over 256)
	.cdecl
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} jmp SEC(".maps");
static int sub(void *ctx);
char LICENSE[] SEC("license") = "GPL";
	.endcdecl

	.section	"xdp","ax",@progbits
	.globl	tail256
	.type	tail256,@function
tail256:
	r6 = r1
	r1 = 0
	*(u64 *)(r10 - 264) = r1
	r1 = r6
	call sub
	r0 = 2
	exit
	.size	tail256, .-tail256

	.text
	.type	sub,@function
sub:
	r2 = jmp ll
	r3 = 0
	call 12
	r0 = 0
	exit
	.size	sub, .-sub
