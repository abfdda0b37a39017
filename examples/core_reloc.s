# core_reloc.s — CO-RE without kernel headers: a local, deliberately wrong task_struct.
#
# Shows: how libbpf relocates what the assembler records. `struct task_struct` below has the
# right field names but not the kernel's layout (tgid is at byte 24 here, far further in the
# real one). Every CO-RE builtin assembles to its value for the local type and records a
# relocation in .BTF.ext; at load time libbpf looks the names up in the running kernel's BTF
# and patches the instructions:
#   offsetof(T, f)                    byte offset of f        (in a load, an add or a move)
#   bpf_core_field_exists(T, f)       1 if the kernel's T has f, else 0
#   bpf_core_field_size(T, f)         size of f in the kernel
#   bpf_core_type_exists(T)           1 if the kernel has T
#   bpf_core_enum_value(E, V)         the kernel's value of enumerator V
#
# Runs as a raw tracepoint; BPF_PROG_TEST_RUN runs it in the calling task, so the tgid read
# from current->tgid at the relocated offset must equal bpf_get_current_pid_tgid() >> 32.
# Assemble (no --btf: everything it needs is declared here):  bpfasm -g core_reloc.s -o core_reloc.o

	.cdecl
struct task_struct {
	int pad[5];		/* not in the kernel's task_struct */
	int pid;
	int tgid;
} __attribute__((preserve_access_index));

struct no_such_kernel_type { int x; };

enum pid_type { PIDTYPE_MAX = 0 };	/* deliberately wrong: the kernel's value is 4 */

/* Results, in .bss, for user space (and the test) to read. */
__u32 core_tgid;	/* current->tgid, read at the relocated offset */
__u32 helper_tgid;	/* bpf_get_current_pid_tgid() >> 32 */
__u32 tgid_offset;	/* offsetof(struct task_struct, tgid) after relocation */
__u32 tgid_size;
__u32 has_tgid;
__u32 has_pad;
__u32 has_no_such_type;
__u32 pidtype_max;

int read_tgid(void *ctx);
char LICENSE[] SEC("license") = "GPL";
	.endcdecl

	.set	BPF_FUNC_get_current_pid_tgid, 14
	.set	BPF_FUNC_get_current_task, 35
	.set	BPF_FUNC_probe_read_kernel, 113

	.section	"raw_tp/sys_enter","ax",@progbits
	.globl	read_tgid
	.type	read_tgid,@function
read_tgid:
	# bpf_probe_read_kernel(&tgid, 4, (void *)current + offsetof(struct task_struct, tgid))
	call BPF_FUNC_get_current_task		# a plain number to the verifier: read it by helper
	r3 = r0
	r3 += offsetof(struct task_struct, tgid)	# 24 here; libbpf patches the immediate
	r1 = r10
	r1 += -4
	r2 = 4
	call BPF_FUNC_probe_read_kernel
	r1 = *(u32 *)(r10 - 4)
	r2 = core_tgid ll
	*(u32 *)(r2 + 0) = r1

	call BPF_FUNC_get_current_pid_tgid
	r0 >>= 32
	r2 = helper_tgid ll
	*(u32 *)(r2 + 0) = r0

	# The other relocation kinds, each stored for user space to see.
	r1 = offsetof(struct task_struct, tgid)
	r2 = tgid_offset ll
	*(u32 *)(r2 + 0) = r1
	r1 = bpf_core_field_size(struct task_struct, tgid)
	r2 = tgid_size ll
	*(u32 *)(r2 + 0) = r1
	r1 = bpf_core_field_exists(struct task_struct, tgid)
	r2 = has_tgid ll
	*(u32 *)(r2 + 0) = r1
	r1 = bpf_core_field_exists(struct task_struct, pad)
	r2 = has_pad ll
	*(u32 *)(r2 + 0) = r1
	r1 = bpf_core_type_exists(struct no_such_kernel_type)
	r2 = has_no_such_type ll
	*(u32 *)(r2 + 0) = r1
	r1 = bpf_core_enum_value(enum pid_type, PIDTYPE_MAX)
	r2 = pidtype_max ll
	*(u32 *)(r2 + 0) = r1

	r0 = 0
	exit
	.size	read_tgid, .-read_tgid
