# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 3 --start 2022 --count 1 (mutated generated (change-size)), then minimised
# SIGNATURE: false accept | kernel: invalid bpf_context access off=N size=N
# BPFLINT-SAID: accept
# PROG-TYPE: xdp
# KERNEL: reject
# MESSAGE: invalid bpf_context access off=16 size=2
0: r6 = r1
1: r7 = *(u16 *)(r6 + 16)
2: r0 = 0
3: exit
