# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 67145 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: math between ctx pointer and N is not allowed
# BPFLINT-SAID: 24: math between ctx pointer and 4294967295 is not allowed
# PROG-TYPE: kprobe
# MAP: 0 type=1 key=4 value=32 entries=16 flags=0
# KERNEL: accept
0: r6 = r1
1: call 7
2: r7 = r0
3: r1 = r10
4: r1 += -24
5: r2 = r7
6: call pc+19
7: r8 = r0
8: r2 = r10
9: r2 += -16
10: r1 = map[0] ll
12: call 1
13: r5 = r0
14: if r5 == 0 goto +3
15: r9 = r0
16: call 7
17: r8 = *(u8 *)(r9 + 0)
18: if r7 < 6 goto +3
19: *(u64 *)(r10 - 40) = r6
20: r2 = *(u64 *)(r10 - 40)
21: r7 = *(u64 *)(r2 + 40)
22: w7 -= 31
23: w7 |= 31
24: r7 += r6
25: exit
26: r0 = *(u64 *)(r1 + 16)
27: exit
