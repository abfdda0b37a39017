# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 2 --start 56473 --count 1 (generated), then minimised
# SIGNATURE: false accept | kernel: variable ctx access var_off=(NxN; NxN) disallowed
# BPFLINT-SAID: accept
# PROG-TYPE: socket_filter
# KERNEL: reject
# MESSAGE: variable ctx access var_off=(0x0; 0x8) disallowed
0: r6 = r1
1: call 7
2: r8 = 0
3: *(u64 *)(r10 - 56) = r6
4: r2 = *(u64 *)(r10 - 56)
5: r7 = *(u32 *)(r2 + 12)
6: if r7 >= 52 goto +1
7: w8 -= 25
8: if w7 & 55 goto +0
9: if r8 > 16 goto +4
10: r3 = r7
11: if r3 s>= 49 goto +2
12: r2 += r3
13: r7 = *(u32 *)(r2 + 0)
14: exit
