# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 111674 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: math between fp pointer and register with unbounded min value is not allowed
# BPFLINT-SAID: 10: math between fp pointer and register with unbounded min value is not allowed
# PROG-TYPE: xdp
# KERNEL: accept
0: r7 = 26
1: r8 = 0
2: call pc+10
3: *(u8 *)(r10 - 112) = r7
4: r7 = *(u8 *)(r10 - 112)
5: r8 += r7
6: if w8 >= 1 goto +4
7: r3 = r8
8: r3 %= 7
9: r2 = r10
10: r2 += r3
11: r0 = 2
12: exit
13: exit
