# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 76586 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: At program exit the register RN has scalar(smax=N) should have been in [N, N]
# BPFLINT-SAID: 3: At program exit the register R0 has scalar(smax=41) should have been in [0, 1]
# PROG-TYPE: cgroup_skb
# KERNEL: accept
0: call 8
1: r7 = r0
2: if r7 s> 41 goto +0
3: exit
