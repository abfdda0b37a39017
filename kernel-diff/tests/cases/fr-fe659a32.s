# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 6818 --count 1 (mutated test_verifier #464 (nudge-bound)), then minimised
# SIGNATURE: false reject | bpflint: RN invalid mem access 'scalar'
# BPFLINT-SAID: 8: R1 invalid mem access 'scalar'
# PROG-TYPE: sk_skb
# KERNEL: accept
# BPFLINT: reject (a false reject left open)
0: r2 = *(u32 *)(r1 + 80)
1: r4 = *(u32 *)(r1 + 76)
2: r3 = r4
3: r3 += 42
4: r1 = 0
5: if r3 > r2 goto +1
6: r1 = r4
7: if r2 < r3 goto +1
8: r2 = *(u16 *)(r1 + 9)
9: r0 = 1
10: exit
