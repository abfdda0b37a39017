# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 9391 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: RN max value is outside of the allowed memory range
# BPFLINT-SAID: 14: R0 max value is outside of the allowed memory range
# PROG-TYPE: tracepoint
# MAP: 0 type=2 key=4 value=16 entries=1 flags=0
# KERNEL: accept
0: call pc+15
1: *(u8 *)(r10 - 104) = 48
2: r8 = *(u8 *)(r10 - 104)
3: r3 = r8
4: if r3 > 7 goto +10
5: r9 = r3
6: r2 = r10
7: r2 += -16
8: r1 = map[0] ll
10: call 1
11: if r0 != 0 goto +1
12: goto +2
13: r0 += r9
14: *(u8 *)(r0 + 12) = r8
15: exit
16: r1 = r10
17: r1 += -64
18: call pc+1
19: exit
20: r0 = *(u64 *)(r1 + 0)
21: exit
