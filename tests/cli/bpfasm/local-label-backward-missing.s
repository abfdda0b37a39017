# FAIL: bpfasm %s -o %t
	goto 1b
	exit
