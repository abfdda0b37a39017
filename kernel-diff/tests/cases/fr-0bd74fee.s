# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 3 --start 669 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: math between pkt_meta pointer and register with unbounded min value is not allowed
# BPFLINT-SAID: 8: math between pkt_meta pointer and register with unbounded min value is not allowed
# PROG-TYPE: xdp
# KERNEL: accept
0: r6 = r1
1: *(u16 *)(r10 - 56) = 60
2: r8 = *(u16 *)(r10 - 56)
3: r3 = r8
4: if r3 >= 17 goto +4
5: r3 %= 35
6: r5 = r3
7: r2 = *(u32 *)(r6 + 8)
8: r2 += r5
9: r0 = 1
10: exit
