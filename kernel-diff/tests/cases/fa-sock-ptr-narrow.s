# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 84890 --count 1 (mutated test_verifier #1037 (shift-offset)), then minimised
# SIGNATURE: false accept | kernel: RN invalid sock access off=N size=N
# BPFLINT-SAID: accept
# PROG-TYPE: cgroup_skb
# KERNEL: reject
# MESSAGE: R0 invalid sock access off=7 size=1
0: r1 = *(u64 *)(r1 + 168)
1: if r1 != 0 goto +2
2: r0 = 0
3: exit
4: call 95
5: if r0 != 0 goto +1
6: exit
7: r0 = *(u8 *)(r0 + 7)
8: r0 = 0
9: exit
