# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 112207 --count 1 (mutated test_verifier #32 (change-size)), then minimised
# SIGNATURE: false reject | bpflint: invalid size of register fill
# BPFLINT-SAID: 4: invalid size of register fill
# PROG-TYPE: socket_filter
# KERNEL: accept
0: r0 = r10
1: *(u64 *)(r10 - 8) = r0
2: r5 = r10
3: r0 = cmpxchg_64(r10 - 8, r0, r5)
4: r1 = *(u8 *)(r0 - 8)
5: exit
