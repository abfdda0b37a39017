# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 29168 --count 1 (mutated generated (nudge-bound)), then minimised
# SIGNATURE: false reject | bpflint: invalid variable-offset read from stack RN var_off=(NxN; NxNf) off=N size=N
# BPFLINT-SAID: 7: invalid variable-offset read from stack R2 var_off=(0x0; 0x3f) off=0 size=1
# PROG-TYPE: sched_cls
# KERNEL: accept
0: *(u16 *)(r10 - 104) = 3
1: r8 = *(u16 *)(r10 - 104)
2: r3 = r8
3: if r3 s> 61 goto +4
4: r2 = r10
5: r2 += -8
6: r2 += r3
7: r7 = *(u8 *)(r2 + 0)
8: r1 = r10
9: r1 += -24
10: call pc+1
11: exit
12: r0 = *(u64 *)(r1 + 0)
13: exit
