# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 2 --start 72795 --count 1 (mutated generated (swap-register+change-cond)), then minimised
# SIGNATURE: false reject | bpflint: RN pointer arithmetic with >>= operator prohibited
# BPFLINT-SAID: 4: R1 pointer arithmetic with >>= operator prohibited
# PROG-TYPE: socket_filter
# KERNEL: accept
0: r7 = -2
1: *(u16 *)(r10 - 64) = r7
2: r7 = *(u16 *)(r10 - 64)
3: if r7 != 19 goto +1
4: r1 >>= 59
5: r0 = 0
6: exit
