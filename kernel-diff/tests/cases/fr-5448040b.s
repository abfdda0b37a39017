# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 11180 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: variable ctx access var_off=(NxN; NxN) disallowed
# BPFLINT-SAID: 8: variable ctx access var_off=(0x0; 0x7) disallowed
# PROG-TYPE: kprobe
# KERNEL: accept
0: r6 = r1
1: call 8
2: r7 = r0
3: if r7 s< 17 goto +5
4: r3 = r7
5: r3 &= 7
6: r2 = r6
7: r2 += r3
8: r7 = *(u32 *)(r2 + 0)
9: exit
