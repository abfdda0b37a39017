# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 123649 --count 1 (mutated test_verifier #464 (delete-insn)), then minimised
# SIGNATURE: false reject | bpflint: same insn cannot be used with different pointers
# BPFLINT-SAID: 7: same insn cannot be used with different pointers
# PROG-TYPE: sk_skb
# KERNEL: accept
# BPFLINT: reject (a false reject left open)
0: r2 = *(u32 *)(r1 + 80)
1: r4 = *(u32 *)(r1 + 76)
2: r3 = r4
3: r3 += 42
4: if r3 > r2 goto +1
5: r1 = r4
6: if r2 < r3 goto +1
7: r2 = *(u16 *)(r1 + 9)
8: r0 = 0
9: exit
