# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 11239 --count 1 (mutated generated (shift-offset)), then minimised
# SIGNATURE: false reject | bpflint: At program exit the register RN has scalar(smin=N,umax=N,var_off=(NxN; NxNfffffffffffffff)) should have been in [N, N]
# BPFLINT-SAID: 4: At program exit the register R0 has scalar(smin=0,umax=9223372036854775807,var_off=(0x0; 0x7fffffffffffffff)) should have been in [0, 1]
# PROG-TYPE: cgroup_skb
# FUNC-INFO: yes (BTF with one static `int f(void)` per function)
# KERNEL: accept
0: call 8
1: r7 = r0
2: r3 = r7
3: if r3 s< 0 goto +0
4: exit
