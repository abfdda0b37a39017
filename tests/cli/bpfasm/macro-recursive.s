# FAIL: bpfasm %s -o %t
# A macro that uses itself without a condition that ends it.
	.macro	forever n
	r0 += \n
	forever \n
	.endm
	forever 1
	exit
