# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 2 --start 180541 --count 1 (mutated generated (remove-null-check)), then minimised
# SIGNATURE: false reject | bpflint: variable ctx access var_off=(NxN; Nxffffffff) disallowed
# BPFLINT-SAID: 10: variable ctx access var_off=(0x0; 0xffffffff) disallowed
# PROG-TYPE: kprobe
# KERNEL: accept
0: r6 = r1
1: r2 = r10
2: r2 += -288
3: r7 = *(u32 *)(r2 + 0)
4: *(u8 *)(r10 - 120) = 78
5: r8 = *(u8 *)(r10 - 120)
6: if r8 != 54 goto +4
7: r3 = r7
8: r2 = r6
9: r2 += r3
10: r7 = *(u32 *)(r2 + 0)
11: r0 = 0
12: exit
