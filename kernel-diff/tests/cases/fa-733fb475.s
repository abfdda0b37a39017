# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 4 --start 5820 --count 1 (mutated generated (change-cond)), then minimised
# SIGNATURE: false accept | kernel: RN min value is outside of the allowed memory range
# BPFLINT-SAID: accept
# PROG-TYPE: kprobe
# MAP: 0 type=2 key=4 value=48 entries=1 flags=0
# KERNEL: reject
# MESSAGE: R0 min value is outside of the allowed memory range
0: r6 = r1
1: *(u64 *)(r10 - 64) = r6
2: r2 = *(u64 *)(r10 - 64)
3: r7 = *(u64 *)(r2 + 144)
4: w7 |= 31
5: if r7 < 32 goto +12
6: r3 = r7
7: if r3 s> 38 goto +10
8: r9 = r3
9: r2 = r10
10: r2 += -16
11: r1 = map[0] ll
13: call 1
14: if r0 != 0 goto +1
15: goto +2
16: r0 += r9
17: r7 = *(u32 *)(r0 + 1)
18: r0 = 3
19: exit
