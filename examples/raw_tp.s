# raw_tp.s — a raw tracepoint: a histogram of system calls by number.
#
# Shows: the `raw_tp/<name>` section, a raw tracepoint's context (the tracepoint's arguments
# as an array of u64: for sys_enter, `struct pt_regs *regs, long id`), an array map indexed by
# a bounds-checked value, and a `.data` global with an initializer.
#
#   if (id < NR_SYSCALLS) syscalls[id] += 1; else out_of_range += 1
#
# Assemble:  bpfasm -g raw_tp.s -o raw_tp.o
# Try it:    BPF_PROG_TEST_RUN with ctx_in = { 0, 42 } counts one call of syscall 42.

	.cdecl
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 512);
	__type(key, __u32);		/* syscall number */
	__type(value, __u64);		/* calls */
} syscalls SEC(".maps");

__u64 out_of_range = 0;		/* explicitly zero: .bss, like C */
__u32 runs_seen = 0;
__u32 format_version = 1;	/* non-zero initializer: .data */

int count_syscalls(__u64 *ctx);
char LICENSE[] SEC("license") = "GPL";
	.endcdecl

	.set	NR_SYSCALLS, 512	# max_entries of `syscalls`
	.set	ARG_ID, 8		# ctx[1]
	.set	BPF_FUNC_map_lookup_elem, 1

	.section	"raw_tp/sys_enter","ax",@progbits
	.globl	count_syscalls
	.type	count_syscalls,@function
count_syscalls:
	r1 = *(u64 *)(r1 + ARG_ID)
	if r1 >= NR_SYSCALLS goto out_of_range_id	# also catches negative ids (unsigned compare)
	*(u32 *)(r10 - 4) = r1
	r1 = syscalls ll
	r2 = r10
	r2 += -4
	call BPF_FUNC_map_lookup_elem
	if r0 == 0 goto done			# cannot happen for an in-range index of an array,
	r1 = 1					# but the verifier wants the check
	lock *(u64 *)(r0 + 0) += r1
done:
	r1 = runs_seen ll
	w2 = 1
	lock *(u32 *)(r1 + 0) += w2
	r0 = 0
	exit

out_of_range_id:
	r1 = out_of_range ll
	r2 = 1
	lock *(u64 *)(r1 + 0) += r2
	goto done
	.size	count_syscalls, .-count_syscalls
