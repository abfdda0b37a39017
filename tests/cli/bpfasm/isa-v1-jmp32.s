# FAIL: bpfasm -mcpu=v1 %s -o %t
	if w1 < 3 goto +0
	if r1 < 3 goto +0
	exit
