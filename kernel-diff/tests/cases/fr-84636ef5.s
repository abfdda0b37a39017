# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 101834 --count 1 (mutated generated (swap-register)), then minimised
# SIGNATURE: false reject | bpflint: BPF_JA uses reserved fields
# BPFLINT-SAID: 7: BPF_JA uses reserved fields
# PROG-TYPE: cgroup_skb
# MAP: 0 type=2 key=4 value=16 entries=4 flags=0
# KERNEL: accept
# BPFLINT: reject (a false reject left open)
0: *(u32 *)(r10 - 16) = 1
1: r2 = r10
2: r2 += -16
3: r1 = map[0] ll
5: call 1
6: if r0 != 0 goto +1
7: .raw 0x05 8 0 0 0
8: r0 = 1
9: exit
