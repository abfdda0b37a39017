# FAIL: bpfasm %s -o %t
	.section xdp,"aq",@progbits
	exit
