# FAIL: bpfasm %s -o %t
	.warning	"about to check"
	.macro	check_size n
	.if	\n > 512
	.error	"stack frame too large"
	.endif
	.endm
	check_size	256
	check_size	1024
	.error
