# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 102116 --count 1 (mutated generated (shift-offset)), then minimised
# SIGNATURE: false reject | bpflint: misaligned stack access off N+N+-N size N
# BPFLINT-SAID: 5: misaligned stack access off 0+0+-17 size 4
# PROG-TYPE: cgroup_skb
# KERNEL: accept
# BPFLINT: reject (a false reject left open)
0: r6 = r1
1: r7 = *(u32 *)(r6 + 4)
2: if w7 s< 2 goto +1
3: r7 = -r7
4: if r7 != 60 goto +1
5: *(u32 *)(r10 - 17) = 4
6: r0 = 0
7: exit
