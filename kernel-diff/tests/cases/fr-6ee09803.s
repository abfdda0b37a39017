# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 20261204 --start 1649 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: variable ctx access var_off=(NxN; Nxf) disallowed
# BPFLINT-SAID: 9: variable ctx access var_off=(0x0; 0xf) disallowed
# PROG-TYPE: tracepoint
# KERNEL: accept
0: r6 = r1
1: r7 = -4
2: *(u8 *)(r10 - 8) = r7
3: r7 = *(u8 *)(r10 - 8)
4: if r7 & 48 goto +5
5: r3 = r7
6: w3 &= 15
7: r2 = r6
8: r2 += r3
9: r7 = *(u32 *)(r2 + 0)
10: r0 = 2
11: exit
