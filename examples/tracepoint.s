# tracepoint.s — a syscall tracepoint: count openat() calls per process.
#
# Shows: the `tracepoint/<category>/<name>` section, the tracepoint context read through the
# kernel's `struct trace_event_raw_sys_enter` (from --btf, as libbpf C programs do with
# vmlinux.h), a CO-RE offset with an array index in the path (`args[2]`), and the
# "look up, else insert" pattern for a hash map of counters.
#
#   opens[tgid] += 1;  if (flags & O_CREAT) creates += 1
#
# Assemble:  bpfasm -g --btf /sys/kernel/btf/vmlinux tracepoint.s -o tracepoint.o
# Attach:    bpftool prog loadall ... autoattach, or bpf_program__attach() from a skeleton

	.cdecl
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);		/* tgid */
	__type(value, __u64);		/* openat() calls */
} opens SEC(".maps");

__u64 creates;				/* openat(..., O_CREAT) calls, all processes */

int count_openat(struct trace_event_raw_sys_enter *ctx);
char LICENSE[] SEC("license") = "GPL";
	.endcdecl

	.set	O_CREAT, 0100
	.set	BPF_FUNC_map_lookup_elem, 1
	.set	BPF_FUNC_map_update_elem, 2
	.set	BPF_FUNC_get_current_pid_tgid, 14
	.set	BPF_NOEXIST, 1

	.section	"tracepoint/syscalls/sys_enter_openat","ax",@progbits
	.globl	count_openat
	.type	count_openat,@function
count_openat:
	# openat(dfd, filename, flags, mode): flags is args[2]
	r1 = *(u64 *)(r1 + offsetof(struct trace_event_raw_sys_enter, args[2]))
	r1 &= O_CREAT
	if r1 == 0 goto per_process
	r1 = creates ll
	r2 = 1
	lock *(u64 *)(r1 + 0) += r2

per_process:
	call BPF_FUNC_get_current_pid_tgid
	r0 >>= 32
	*(u32 *)(r10 - 4) = r0			# key = tgid
	r1 = opens ll
	r2 = r10
	r2 += -4
	call BPF_FUNC_map_lookup_elem
	if r0 == 0 goto first
	r1 = 1
	lock *(u64 *)(r0 + 0) += r1
	r0 = 0
	exit

first:
	r1 = 1
	*(u64 *)(r10 - 16) = r1
	r1 = opens ll
	r2 = r10
	r2 += -4
	r3 = r10
	r3 += -16
	r4 = BPF_NOEXIST
	call BPF_FUNC_map_update_elem
	r0 = 0
	exit
	.size	count_openat, .-count_openat
