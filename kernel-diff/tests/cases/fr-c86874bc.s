# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 165890 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: RN bitwise operator &= on pointer prohibited
# BPFLINT-SAID: 5: R8 bitwise operator &= on pointer prohibited
# PROG-TYPE: xdp
# KERNEL: accept
0: r6 = r1
1: *(u8 *)(r10 - 72) = 85
2: r8 = *(u8 *)(r10 - 72)
3: if w8 != 32 goto +2
4: r8 = *(u32 *)(r6 + 8)
5: r8 &= 255
6: r0 = 3
7: exit
