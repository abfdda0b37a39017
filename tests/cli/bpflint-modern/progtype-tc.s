# RUN: bpfasm -g %s -o %t
# RUN: bpflint --prog-type tc %t
# USAGE: bpflint --prog-type bogus %t
# USAGE: bpflint --prog-type =tc %t
# USAGE: bpflint --btf no-such.btf %t
# KERNEL: accept
# LOAD-AS: tc
# A section libbpf cannot classify (iproute2 / Cilium style), loaded by its loader as a tc
# program: `--prog-type tc` says so, and the direct packet access is checked as sched_cls.
# Usage errors: an unknown type, an empty program name, a kernel BTF that cannot be read.
	.cdecl
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	from-netdev,"ax",@progbits
	.globl	handle
	.type	handle,@function
handle:
	r2 = *(u32 *)(r1 + 76)
	r3 = *(u32 *)(r1 + 80)
	r4 = r2
	r4 += 14
	if r4 > r3 goto out
	r0 = *(u8 *)(r2 + 12)
out:
	r0 = 0
	exit
	.size	handle, .-handle
