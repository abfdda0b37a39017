# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 31803 --count 1 (mutated test_verifier #93 (swap-register)), then minimised
# SIGNATURE: false reject | bpflint: invalid size of register spill
# BPFLINT-SAID: 0: invalid size of register spill
# PROG-TYPE: socket_filter
# KERNEL: accept
0: w1 = xchg32_32(r10 - 4, w1)
1: r0 = *(u32 *)(r10 - 4)
2: exit
