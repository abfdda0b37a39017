# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 113666 --count 1 (mutated generated (swap-register)), then minimised
# SIGNATURE: false reject | bpflint: invalid write to stack RN off=N size=N
# BPFLINT-SAID: 4: invalid write to stack R10 off=8 size=4
# PROG-TYPE: xdp
# KERNEL: accept
0: call 7
1: *(u8 *)(r10 - 40) = 100
2: r7 = *(u8 *)(r10 - 40)
3: if r7 & 62 goto +1
4: *(u32 *)(r10 + 8) = r7
5: exit
