# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 2 --start 20665 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: RN bitwise operator ^= on pointer prohibited
# BPFLINT-SAID: 6: R7 bitwise operator ^= on pointer prohibited
# PROG-TYPE: xdp
# KERNEL: accept
0: r6 = r1
1: r7 = 26
2: *(u8 *)(r10 - 32) = 22
3: r8 = *(u8 *)(r10 - 32)
4: if r8 s< 30 goto +1
5: r7 = *(u32 *)(r6 + 8)
6: r7 ^= 62
7: r0 = 1
8: exit
