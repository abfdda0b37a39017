# FAIL: bpfasm %s -o %t
	r11 = 1
	exit
