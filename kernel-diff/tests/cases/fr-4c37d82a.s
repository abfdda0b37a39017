# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 149135 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: invalid variable-offset read from stack RN var_off=(NxN; Nxfffc) off=N size=N
# BPFLINT-SAID: 7: invalid variable-offset read from stack R2 var_off=(0x0; 0xfffc) off=0 size=4
# PROG-TYPE: sched_cls
# KERNEL: accept
0: r2 = r10
1: r2 += -160
2: *(u16 *)(r10 - 24) = 31
3: r8 = *(u16 *)(r10 - 24)
4: r3 = r8
5: r3 &= -4
6: r2 += r3
7: r7 = *(u32 *)(r2 + 0)
8: r0 = 0
9: exit
