# FAIL: bpfasm %s -o %t
# Nested repetitions that would expand to 10^18 lines stop at the size limit.
	.rept	1000000000
	.rept	1000000000
	.endr
	.endr
	exit
