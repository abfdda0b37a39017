# kprobe_task.s — a kprobe reading task_struct fields with CO-RE.
#
# Shows: `--btf /sys/kernel/btf/vmlinux` to name kernel types without declaring them, CO-RE
# field offsets in loads (`offsetof(struct task_struct, tgid)` assembles to the offset in the
# given BTF and records a relocation, so libbpf rewrites it for the kernel the program is loaded
# on), following a pointer field (task->real_parent->tgid), and bpf_get_current_task_btf, whose
# result the verifier knows is a `struct task_struct *` (plain loads, no bpf_probe_read_kernel).
#
# On every do_nanosleep: procs[tgid] = { tgid, ppid, start_time, comm }.
# Assemble:  bpfasm -g --btf /sys/kernel/btf/vmlinux kprobe_task.s -o kprobe_task.o

	.cdecl
struct proc_info {
	__u32 tgid;
	__u32 ppid;
	__u64 start_time;	/* ns since boot */
	char comm[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct proc_info);
} procs SEC(".maps");

int on_nanosleep(struct pt_regs *ctx);
char LICENSE[] SEC("license") = "GPL";
	.endcdecl

	# struct proc_info, on the stack at r10 - 32
	.set	INFO, -32
	.set	PI_TGID, INFO + 0
	.set	PI_PPID, INFO + 4
	.set	PI_START, INFO + 8
	.set	PI_COMM, INFO + 16
	.set	KEY, -36
	.set	BPF_FUNC_map_update_elem, 2
	.set	BPF_FUNC_get_current_comm, 16
	.set	BPF_FUNC_get_current_task_btf, 158
	.set	BPF_ANY, 0

	.section	"kprobe/do_nanosleep","ax",@progbits
	.globl	on_nanosleep
	.type	on_nanosleep,@function
on_nanosleep:
	call BPF_FUNC_get_current_task_btf	# r0 = current, a trusted task_struct pointer
	r6 = r0
	r1 = *(u32 *)(r6 + offsetof(struct task_struct, tgid))
	*(u32 *)(r10 + PI_TGID) = r1
	*(u32 *)(r10 + KEY) = r1
	r1 = *(u64 *)(r6 + offsetof(struct task_struct, start_time))
	*(u64 *)(r10 + PI_START) = r1
	r1 = *(u64 *)(r6 + offsetof(struct task_struct, real_parent))
	r1 = *(u32 *)(r1 + offsetof(struct task_struct, tgid))	# a faulting load reads 0
	*(u32 *)(r10 + PI_PPID) = r1

	r1 = r10
	r1 += PI_COMM
	r2 = 16
	call BPF_FUNC_get_current_comm

	r1 = procs ll
	r2 = r10
	r2 += KEY
	r3 = r10
	r3 += INFO
	r4 = BPF_ANY
	call BPF_FUNC_map_update_elem
	r0 = 0
	exit
	.size	on_nanosleep, .-on_nanosleep
