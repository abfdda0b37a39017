# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 14 --start 127305 --count 1 (generated), then minimised
# SIGNATURE: false accept | kernel: value N makes ctx pointer be out of bounds
# BPFLINT-SAID: accept
# PROG-TYPE: xdp
# KERNEL: reject
# MESSAGE: value 4294966791 makes ctx pointer be out of bounds
0: r6 = r1
1: r7 = *(u32 *)(r6 + 16)
2: r8 = *(u8 *)(r10 - 24)
3: if r7 <= 46 goto +3
4: *(u64 *)(r10 - 56) = r6
5: r2 = *(u64 *)(r10 - 56)
6: r7 = *(u32 *)(r2 + 12)
7: if w7 s< 32 goto +0
8: r7 += 70
9: w7 *= 5
10: w7 = -w7
11: r7 += r6
12: r0 = 2
13: exit
