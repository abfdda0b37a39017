# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 20261204 --start 714 --count 1 (mutated test_verifier #190 (change-cond)), then minimised
# SIGNATURE: false reject | bpflint: value -N makes map_value pointer be out of bounds
# BPFLINT-SAID: 23: value -2147483648 makes map_value pointer be out of bounds
# PROG-TYPE: tracepoint
# MAP: 0 type=1 key=8 value=48 entries=1 flags=0
# KERNEL: accept
# BPFLINT: reject (a false reject left open)
0: r6 = r1
1: r2 = r10
2: r2 += -8
3: r1 = map[0] ll
5: call 1
6: if r0 == 0 goto +17
7: r7 = r0
8: r9 = 24
9: r1 = r6
10: r2 = r7
11: r3 = 24
12: r4 = 256
13: call 67
14: r8 = r0
15: r8 <<= 32
16: r8 s>>= 32
17: r9 -= r8
18: r2 = r7
19: r1 = r9
20: r1 <<= 32
21: r1 s>>= 32
22: r3 = r2
23: r3 += r1
24: exit
