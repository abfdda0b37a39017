# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# A kptr can also be a global variable (a `.data.NAME` section is a map whose value type is the
# section's DATASEC, walked like a struct: kernel/bpf/btf.c btf_parse_fields()). Loaded, it may
# be NULL, and a kfunc trusting its argument refuses it unchecked.
	.cdecl
struct task_struct { int pid; };
static struct task_struct __attribute__((btf_type_tag("kptr"))) *saved SEC(".data.saved");
extern struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym;
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	tp_btf/sched_switch,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = saved ll
	r1 = *(u64 *)(r1 + 0)
	call bpf_task_acquire
	r0 = 0
	exit
	.size	prog, .-prog
