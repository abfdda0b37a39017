# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 128972 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: combined stack size of N calls is N. Too large
# BPFLINT-SAID: 0: combined stack size of 2 calls is 576. Too large
# PROG-TYPE: xdp
# KERNEL: accept
0: *(u8 *)(r10 - 128) = 85
1: r8 = *(u8 *)(r10 - 128)
2: r7 = *(u64 *)(r10 - 512)
3: if w8 s>= 28 goto +1
4: call pc+4
5: r1 = r10
6: r1 += -16
7: call pc+5
8: exit
9: r1 = r10
10: r1 += -64
11: call pc+3
12: exit
13: r0 = *(u64 *)(r1 + 8)
14: exit
15: r0 = *(u64 *)(r1 + 0)
16: exit
