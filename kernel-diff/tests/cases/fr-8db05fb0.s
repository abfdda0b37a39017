# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 182243 --count 1 (mutated generated (delete-insn)), then minimised
# SIGNATURE: false reject | bpflint: invalid variable-offset read from stack RN var_off=(NxN; NxNffffffffffffffe) off=N size=N
# BPFLINT-SAID: 10: invalid variable-offset read from stack R2 var_off=(0x0; 0x7ffffffffffffffe) off=0 size=2
# PROG-TYPE: cgroup_skb
# KERNEL: accept
0: *(u16 *)(r10 - 8) = 99
1: r8 = *(u16 *)(r10 - 8)
2: if w8 >= 31 goto +8
3: r3 = r8
4: r3 %= 51
5: if r3 s< 0 goto +5
6: r3 &= -2
7: r2 = r10
8: r2 += -160
9: r2 += r3
10: r7 = *(u16 *)(r2 + 0)
11: r0 = 0
12: exit
