# ringbuf.s — sending events to user space through a BPF ring buffer.
#
# Shows: a BPF_MAP_TYPE_RINGBUF map, the reserve/fill/submit pattern (the verifier tracks the
# reserved record until it is submitted or discarded), an event struct shared with user space
# (its BTF lets `bpftool gen skeleton` and readers decode it), and globals counting what was
# sent or lost.
#
# Runs as a raw tracepoint on exec: one record {pid, tgid, comm} per exec.
# Assemble:  bpfasm -g ringbuf.s -o ringbuf.o
# Read:      ring_buffer__new(bpf_map__fd(skel->maps.events), handle_event, ...), ring_buffer__poll

	.cdecl
struct event {
	__u32 pid;
	__u32 tgid;
	char comm[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);		/* bytes: a power-of-two multiple of the page size */
} events SEC(".maps");

__u64 events_sent;	/* records submitted */
__u64 events_lost;	/* reserve failed: the buffer was full */
__u64 pending;		/* bytes waiting in the buffer after the last submit */

int on_exec(void *ctx);
char LICENSE[] SEC("license") = "GPL";
	.endcdecl

	# struct event (plain offsets: the type is ours, not the kernel's)
	.set	EV_PID, 0
	.set	EV_TGID, 4
	.set	EV_COMM, 8
	.set	TASK_COMM_LEN, 16
	# helpers
	.set	BPF_FUNC_get_current_pid_tgid, 14
	.set	BPF_FUNC_get_current_comm, 16
	.set	BPF_FUNC_ringbuf_reserve, 131
	.set	BPF_FUNC_ringbuf_submit, 132
	.set	BPF_FUNC_ringbuf_query, 134
	.set	BPF_RB_AVAIL_DATA, 0

	.section	"raw_tp/sched_process_exec","ax",@progbits
	.globl	on_exec
	.type	on_exec,@function
on_exec:
	call BPF_FUNC_get_current_pid_tgid
	r7 = r0					# tgid << 32 | pid

	r1 = events ll
	r2 = sizeof(struct event)		# must be a constant
	r3 = 0
	call BPF_FUNC_ringbuf_reserve
	if r0 == 0 goto lost
	r6 = r0					# r6 = the record, owned until submit

	*(u32 *)(r6 + EV_PID) = r7
	r7 >>= 32
	*(u32 *)(r6 + EV_TGID) = r7
	r1 = r6
	r1 += EV_COMM
	r2 = TASK_COMM_LEN
	call BPF_FUNC_get_current_comm

	r1 = r6
	r2 = 0					# flags: wake up the reader as usual
	call BPF_FUNC_ringbuf_submit

	r1 = events_sent ll
	r2 = 1
	lock *(u64 *)(r1 + 0) += r2
	r1 = events ll
	r2 = BPF_RB_AVAIL_DATA
	call BPF_FUNC_ringbuf_query
	r1 = pending ll
	*(u64 *)(r1 + 0) = r0
	r0 = 0
	exit

lost:
	r1 = events_lost ll
	r2 = 1
	lock *(u64 *)(r1 + 0) += r2
	r0 = 0
	exit
	.size	on_exec, .-on_exec
