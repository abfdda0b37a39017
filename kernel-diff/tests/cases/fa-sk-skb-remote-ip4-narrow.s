# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 20261204 --start 2716 --count 1 (mutated test_verifier #397 (change-size)), then minimised
# SIGNATURE: false accept | kernel: invalid bpf_context access off=N size=N
# BPFLINT-SAID: accept
# PROG-TYPE: sk_skb
# KERNEL: reject
# MESSAGE: invalid bpf_context access off=92 size=1
0: r0 = *(u8 *)(r1 + 92)
1: exit
