# RUN: bpfasm -g %s -o %t
# FAIL: bpflint --kernel 6.18 %t
# positive: a 504-byte frame with may_goto: 6.18 adaygoto504
	.type	maygoto504,@function
maygoto504:
	r1 = 0
	*(u64 *)(r10 - 504) = r1
1:
	may_goto 2f
	goto 1b
2:
	r0 = 2
	exit
	.size	maygoto504, .-maygoto504
