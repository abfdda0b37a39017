# RUN: bpfasm -g %s -o %t
# FAIL: bpflint %t
# KERNEL: reject
# A task_work callback is verified as sleepable: a program that is not cannot schedule one
# (measured on Linux 6.18: "sleepable callback in a program that is not sleepable", EPERM;
# profile.rs wq_callback_sleepable).
	.cdecl
struct bpf_task_work { unsigned long long __opaque; } __attribute__((aligned(8)));
struct elem { int ok; struct bpf_task_work tw; };
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, int);
	__type(value, struct elem);
} array SEC(".maps");
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, int);
	__type(value, struct elem);
} other SEC(".maps");
struct task_struct { int pid; };
struct bpf_map { int id; };
extern int bpf_task_work_schedule_resume_impl(struct task_struct *task, struct bpf_task_work *tw, void *map__map, int (*callback)(struct bpf_map *map, void *key, void *value), void *aux__prog) __ksym;
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	tc,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	call 158
	r7 = r0
	r1 = 0
	*(u32 *)(r10 - 4) = r1
	r2 = r10
	r2 += -4
	r1 = array ll
	call 1
	if r0 == 0 goto out
	r2 = r0
	r2 += 8
	r1 = r7
	r3 = array ll
	r4 = cb ll
	r5 = 0
	call bpf_task_work_schedule_resume_impl
out:
	r0 = 0
	exit
	.size	prog, .-prog

	.text
	.type	cb,@function
cb:
	r0 = 0
	exit
	.size	cb, .-cb
