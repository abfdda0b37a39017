# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 118536 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: At program exit the register RN has scalar() should have been in [N, N]
# BPFLINT-SAID: 1: At program exit the register R0 has scalar() should have been in [0, 1]
# PROG-TYPE: cgroup_skb
# KERNEL: accept
0: call 8
1: exit
