# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 143202 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: At program exit the register RN has scalar(smax=N,umax=N,var_off=(NxN; Nxffffffffffffffde)) should have been in [N, N]
# BPFLINT-SAID: 3: At program exit the register R0 has scalar(smax=9223372036854775774,umax=18446744073709551582,var_off=(0x0; 0xffffffffffffffde)) should have been in [0, 1]
# PROG-TYPE: cgroup_skb
# KERNEL: accept
0: call 8
1: r7 = r0
2: if r7 & 33 goto +0
3: exit
