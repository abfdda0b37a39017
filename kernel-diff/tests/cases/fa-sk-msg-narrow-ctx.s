# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 20261204 --start 2302 --count 1 (mutated test_verifier #373 (change-size)), then minimised
# SIGNATURE: false accept | kernel: invalid bpf_context access off=N size=N
# BPFLINT-SAID: accept
# PROG-TYPE: sk_msg
# KERNEL: reject
# MESSAGE: invalid bpf_context access off=60 size=2
0: r0 = *(u16 *)(r1 + 60)
1: exit
