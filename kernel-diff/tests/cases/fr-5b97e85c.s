# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 2 --start 53184 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: RN pointer arithmetic with *= operator prohibited
# BPFLINT-SAID: 8: R7 pointer arithmetic with *= operator prohibited
# PROG-TYPE: xdp
# KERNEL: accept
0: r6 = r1
1: call 7
2: r7 = r0
3: w7 >>= 11
4: r7 += r6
5: *(u16 *)(r10 - 80) = 28
6: r8 = *(u16 *)(r10 - 80)
7: if r8 s>= 5 goto +1
8: r7 *= r8
9: exit
