# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# positive: task_struct walked at a hard-coded offset (no CO-RE relocation)
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl

	.section	"kprobe/do_nanosleep","ax",@progbits
	.globl	probe_read_offset
	.type	probe_read_offset,@function
probe_read_offset:
	call 35					# bpf_get_current_task
	r3 = r0
	r3 += 2480				# &task->tgid on one kernel
	r1 = r10
	r1 += -8
	r2 = 4
	call 113				# bpf_probe_read_kernel
	r0 = 0
	exit
	.size	probe_read_offset, .-probe_read_offset
