# RUN: bpfasm %s -o %t
# RUN: bpfasm -d %t
	.cdecl
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");
char LICENSE[] SEC("license") = "GPL";
struct task { int pid; int tgid; };
	.endcdecl
	.section socket,"ax",@progbits
	.globl prog
	.type prog,@function
prog:
	r1 = counts ll
	r0 = *(u32 *)(r1 + offsetof(struct task, tgid))
	exit
