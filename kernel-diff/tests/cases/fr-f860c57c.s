# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 78330 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: math between pkt pointer and register with unbounded min value is not allowed
# BPFLINT-SAID: 10: math between pkt pointer and register with unbounded min value is not allowed
# PROG-TYPE: xdp
# KERNEL: accept
0: r6 = r1
1: r7 = 47
2: call pc+9
3: *(u16 *)(r10 - 56) = r7
4: r7 = *(u16 *)(r10 - 56)
5: if r7 & 15 goto +5
6: r3 = r7
7: r3 %= 20
8: r5 = r3
9: r2 = *(u32 *)(r6 + 0)
10: r2 += r5
11: exit
12: r0 = *(u32 *)(r1 + 16)
13: exit
