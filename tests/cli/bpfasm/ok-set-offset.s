# RUN: bpfasm %s -o %t
# RUN: bpfasm -d %t
	.set FRAME, 16
	*(u64 *)(r10 - FRAME) = r1
	r1 = *(u64 *)(r10 - FRAME * 2 + 8)
	r2 = 1 << 4 | 3
	exit
