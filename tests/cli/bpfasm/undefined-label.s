# FAIL: bpfasm %s -o %t
	if r1 == 0 goto .Lout
	exit
