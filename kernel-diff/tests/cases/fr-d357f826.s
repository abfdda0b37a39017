# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 5733 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: cannot write into packet
# BPFLINT-SAID: 5: cannot write into packet
# PROG-TYPE: cgroup_skb
# KERNEL: accept
0: r6 = r1
1: *(u8 *)(r10 - 120) = 85
2: r8 = *(u8 *)(r10 - 120)
3: if r8 & 48 goto +2
4: r2 = *(u32 *)(r6 + 76)
5: *(u8 *)(r2 + 46) = 0
6: r0 = 1
7: exit
