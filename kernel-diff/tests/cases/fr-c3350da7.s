# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 2 --start 163046 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: invalid variable-offset write to stack RN var_off=(NxN; NxfffN) off=N size=N
# BPFLINT-SAID: 8: invalid variable-offset write to stack R2 var_off=(0x0; 0xfff8) off=0 size=8
# PROG-TYPE: tracepoint
# KERNEL: accept
0: r7 = 23
1: *(u16 *)(r10 - 80) = r7
2: r7 = *(u16 *)(r10 - 80)
3: r3 = r7
4: r3 &= -8
5: r2 = r10
6: r2 += -224
7: r2 += r3
8: *(u64 *)(r2 + 0) = 0
9: r0 = 0
10: exit
