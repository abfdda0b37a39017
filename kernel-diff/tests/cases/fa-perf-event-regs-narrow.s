# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 112523 --count 1 (mutated test_verifier #900 (shift-offset)), then minimised
# SIGNATURE: false accept | kernel: invalid bpf_context access off=N size=N
# BPFLINT-SAID: accept
# PROG-TYPE: perf_event
# KERNEL: reject
# MESSAGE: invalid bpf_context access off=160 size=4
0: r0 = *(u32 *)(r1 + 160)
1: exit
