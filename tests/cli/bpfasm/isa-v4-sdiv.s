# FAIL: bpfasm -mcpu=v3 %s -o %t
	r1 s/= r2
	exit
