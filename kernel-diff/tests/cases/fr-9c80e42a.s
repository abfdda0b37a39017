# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 18880 --count 1 (mutated generated (nudge-bound)), then minimised
# SIGNATURE: false reject | bpflint: invalid variable-offset read from stack RN var_off=(NxN; NxNffffffffffffffc) off=N size=N
# BPFLINT-SAID: 11: invalid variable-offset read from stack R2 var_off=(0x0; 0x7ffffffffffffffc) off=0 size=4
# PROG-TYPE: cgroup_skb
# KERNEL: accept
0: call 7
1: r7 = r0
2: *(u16 *)(r10 - 128) = 64
3: r8 = *(u8 *)(r10 - 128)
4: if r8 s> 17 goto +7
5: r3 = r7
6: if r3 s< 0 goto +5
7: r3 &= -4
8: r2 = r10
9: r2 += -16
10: r2 += r3
11: r7 = *(u32 *)(r2 + 0)
12: r0 = 1
13: exit
