# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 2 --start 68762 --count 1 (mutated test_verifier #1274 (shift-offset+change-size)), then minimised
# SIGNATURE: false accept | kernel: invalid bpf_context access off=N size=N
# BPFLINT-SAID: accept
# PROG-TYPE: cgroup_sock_addr
# ATTACH-TYPE: 15
# KERNEL: reject
# MESSAGE: invalid bpf_context access off=40 size=2
0: r0 = *(u16 *)(r1 + 40)
1: r0 = 1
2: exit
