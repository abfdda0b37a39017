# RUN: bpfasm -g %s -o %t
# FAIL: bpflint --prog-type handle=xdp %t
# KERNEL: reject
# LOAD-AS: xdp
# `--prog-type PROG=TYPE` types one program: loaded as XDP, offset 76 is not a field of
# xdp_md (24 bytes), so the context read is refused.
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
