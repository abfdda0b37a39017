# FAIL: bpfasm %s -o %t
	.macro	load dst:req, base, off=0
	\dst = *(u32 *)(\base + \off)
	.endm
	load
	load	r1, r2, 4, 5
	load	r1, bsae=r2
	load	dst=r1, r2
	load	r1, (r2
	.macro	none
	exit
	.endm
	none	1
	.macro	twice a, a
	.endm
	.macro	bad a:opt
	.endm
