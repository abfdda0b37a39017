# FAIL: bpfasm %s -o %t
	.section xdp,"ax",@progbits
	goto elsewhere
	.text
elsewhere:
	exit
