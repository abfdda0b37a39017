# FAIL: bpfasm %s -o %t
	.section license,"aw",@progbits
	.asciz "GPL
