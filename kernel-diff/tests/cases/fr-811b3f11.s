# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 41343 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: variable ctx access var_off=(NxN; NxNf) disallowed
# BPFLINT-SAID: 7: variable ctx access var_off=(0x0; 0x1f) disallowed
# PROG-TYPE: socket_filter
# KERNEL: accept
0: r6 = r1
1: r2 = r6
2: *(u16 *)(r10 - 120) = 94
3: r8 = *(u16 *)(r10 - 120)
4: r3 = r8
5: if r3 > 21 goto +2
6: r2 += r3
7: r7 = *(u32 *)(r2 + 0)
8: r0 = 0
9: exit
