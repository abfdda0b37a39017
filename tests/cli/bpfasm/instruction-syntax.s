# FAIL: bpfasm %s -o %t
# Each bad statement is reported; what the templates expect comes from the table.
	r1 = 5 6
	r0 = *(u32 *)(r1 4)
	r1 = -r2
	r1 = *(u16 *)skb[8]
	if r1 > goto +3
	r1 = (5 + 3 goto
	goto
	r1 = *(u32 *)(r10 - r1)
	r1 = 5)
	r1 = r2 5 +
	w1 = 1 +
	r1 = w2 + 1
	if r1 s> 5 goto w1
	lock *(u64 *)(r1 skb 0) += r2
	r0 = cmpxchg_64(r1 + 0, r2)
	call = 1
	call exit
	r0 = lock ll
	exit
