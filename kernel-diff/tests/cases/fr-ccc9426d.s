# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 2 --start 194263 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: invalid variable-offset read from stack RN var_off=(NxN; NxfffN) off=N size=N
# BPFLINT-SAID: 7: invalid variable-offset read from stack R2 var_off=(0x0; 0xfff8) off=0 size=8
# PROG-TYPE: xdp
# KERNEL: accept
0: *(u16 *)(r10 - 88) = 58
1: r8 = *(u16 *)(r10 - 88)
2: r3 = r8
3: r3 &= -8
4: r2 = r10
5: r2 += -272
6: r2 += r3
7: r7 = *(u64 *)(r2 + 0)
8: r0 = 1
9: exit
