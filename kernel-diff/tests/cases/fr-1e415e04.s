# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 20005 --count 1 (mutated generated (remove-null-check)), then minimised
# SIGNATURE: false reject | bpflint: invalid variable-offset read from stack RN var_off=(NxN; Nxfe) off=N size=N
# BPFLINT-SAID: 8: invalid variable-offset read from stack R2 var_off=(0x0; 0xfe) off=0 size=2
# PROG-TYPE: sched_cls
# KERNEL: accept
0: r7 = 52
1: *(u8 *)(r10 - 72) = r7
2: r7 = *(u8 *)(r10 - 72)
3: r3 = r7
4: r3 &= -2
5: r2 = r10
6: r2 += -192
7: r2 += r3
8: r7 = *(u16 *)(r2 + 0)
9: r0 = 1
10: exit
