# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 6 --start 150918 --count 1 (generated), then minimised
# SIGNATURE: false accept | kernel: value -N makes fp pointer be out of bounds
# BPFLINT-SAID: accept
# PROG-TYPE: kprobe
# MAP: 0 type=2 key=4 value=16 entries=1 flags=0
# KERNEL: reject
# MESSAGE: value -4294967295 makes fp pointer be out of bounds
0: r6 = r1
1: r7 = *(u64 *)(r6 + 56)
2: r8 = 0
3: r7 <<= 7
4: r8 <<= r7
5: r8 s>>= 62
6: if w8 & 20 goto +8
7: r2 = r10
8: r2 += -16
9: r1 = map[0] ll
11: call 1
12: if r0 != 0 goto +1
13: goto +1
14: r7 = *(u32 *)(r0 + 8)
15: w8 |= 31
16: r8 = -r8
17: if r7 != 13 goto +3
18: r3 = r8
19: r2 = r10
20: r2 += r3
21: r0 = 1
22: exit
