# RUN: bpfasm %s -o %t
# RUN: bpfasm -d %t
	.text
	.globl	prog
	.type	prog,@function
prog:
	r1 = 0x1234567890 ll
	r2 = *(u32 *)(r1 + 4)
	if r2 s> 5 goto 1f
	w0 = (s8)w2
	lock *(u64 *)(r10 - 8) += r1
	r0 = cmpxchg_64(r10 - 8, r0, r1)
	call 5
	call sub
1:	exit
sub:
	r0 = 0
	exit
	.size prog, .-prog
