# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 4 --start 6263 --count 1 (generated), then minimised
# SIGNATURE: false accept | kernel: RN max value is outside of the allowed memory range
# BPFLINT-SAID: accept
# PROG-TYPE: sched_cls
# MAP: 0 type=2 key=4 value=48 entries=1 flags=0
# KERNEL: reject
# MESSAGE: R0 max value is outside of the allowed memory range
0: r6 = r1
1: r7 = *(u32 *)(r6 + 64)
2: r2 = r10
3: r2 += -16
4: r1 = map[0] ll
6: call 1
7: r7 = -r7
8: if r7 & 41 goto +0
9: r3 = r7
10: if r3 s< 0 goto +6
11: w3 &= 63
12: r9 = r3
13: r5 = r0
14: if r5 == 0 goto +2
15: r0 += r9
16: r7 = *(u32 *)(r0 + 34)
17: exit
