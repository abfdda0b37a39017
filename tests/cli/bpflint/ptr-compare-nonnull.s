# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# a maybe-NULL pointer compared equal to a non-NULL one is not NULL (the kernel accepts this)
	.cdecl
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 2); __type(key, __u32); __type(value, __u64); } m SEC(".maps");
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = 0
	*(u32 *)(r10 - 4) = r1
	r2 = r10
	r2 += -4
	r1 = m ll
	call BPF_FUNC_map_lookup_elem
	r6 = r0				# maybe NULL
	r2 = r10
	r2 += -4
	r1 = m ll
	call BPF_FUNC_map_lookup_elem
	if r0 == 0 goto out		# r0 is not NULL below
	if r6 != r0 goto out
	r0 = *(u64 *)(r6 + 0)		# equal to a non-NULL pointer: fine
out:
	r0 = 0
	exit
