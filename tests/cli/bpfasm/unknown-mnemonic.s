# FAIL: bpfasm %s -o %t
	r0 = 0
	exti
