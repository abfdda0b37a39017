# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 101483 --count 1 (mutated test_verifier #300 (change-size)), then minimised
# SIGNATURE: false accept | kernel: invalid bpf_context access off=N size=N
# BPFLINT-SAID: accept
# PROG-TYPE: cgroup_sock
# KERNEL: reject
# MESSAGE: invalid bpf_context access off=0 size=1
0: r0 = *(u8 *)(r1 + 0)
1: r0 &= 1
2: exit
