# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 2 --start 153641 --count 1 (mutated generated (delete-insn)), then minimised
# SIGNATURE: false accept | kernel: invalid unbounded variable-offset write to stack RN
# BPFLINT-SAID: accept
# PROG-TYPE: cgroup_skb
# KERNEL: reject
# MESSAGE: invalid unbounded variable-offset write to stack R2
0: r6 = r1
1: r7 = *(u32 *)(r6 + 4)
2: r3 = r7
3: r3 %= 32
4: if r3 s< 0 goto +3
5: r2 = r10
6: r2 += r3
7: *(u8 *)(r2 + 0) = 0
8: r0 = 1
9: exit
