# FAIL: bpfasm %s -o %t
	gto +1
	exit
