# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 49450 --count 1 (mutated generated (nudge-bound)), then minimised
# SIGNATURE: false reject | bpflint: invalid variable-offset read from stack RN var_off=(NxN; Nxfffe) off=N size=N
# BPFLINT-SAID: 7: invalid variable-offset read from stack R2 var_off=(0x0; 0xfffe) off=0 size=2
# PROG-TYPE: kprobe
# KERNEL: accept
0: *(u16 *)(r10 - 40) = 15
1: r8 = *(u16 *)(r10 - 40)
2: r3 = r8
3: r3 &= -2
4: r2 = r10
5: r2 += -248
6: r2 += r3
7: r7 = *(u16 *)(r2 + 0)
8: r0 = 1
9: exit
