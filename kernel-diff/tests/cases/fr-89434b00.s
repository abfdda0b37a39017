# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 121651 --count 1 (mutated generated (nudge-bound)), then minimised
# SIGNATURE: false reject | bpflint: misaligned stack access off (NxN; NxNd)+-N+N size N
# BPFLINT-SAID: 16: misaligned stack access off (0x0; 0x1d)+-80+0 size 4
# PROG-TYPE: tracepoint
# KERNEL: accept
0: r6 = r1
1: r8 = 0
2: r1 = 0
3: r2 = *(u16 *)(r6 + 32)
4: r8 += r2
5: r1 += 1
6: if r1 < 22 goto -4
7: *(u8 *)(r10 - 96) = 93
8: r8 = *(u8 *)(r10 - 96)
9: *(u64 *)(r10 - 40) = r6
10: r3 = r8
11: if w3 s>= 30 goto +5
12: r3 &= -3
13: r2 = r10
14: r2 += -80
15: r2 += r3
16: r7 = *(u32 *)(r2 + 0)
17: r0 = 2
18: exit
