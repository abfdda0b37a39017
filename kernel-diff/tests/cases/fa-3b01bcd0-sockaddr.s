# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 14 --start 96593 --count 1 (mutated test_verifier #1269 (change-size+shift-offset)), then minimised
# SIGNATURE: false accept | kernel: invalid bpf_context access off=N size=N
# BPFLINT-SAID: accept
# PROG-TYPE: cgroup_sock_addr
# ATTACH-TYPE: 15
# KERNEL: reject
# MESSAGE: invalid bpf_context access off=0 size=1
0: r0 = *(u8 *)(r1 + 0)
1: r0 = 1
2: exit
