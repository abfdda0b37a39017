# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 20261204 --start 298 --count 1 (mutated generated (swap-register)), then minimised
# SIGNATURE: false reject | bpflint: invalid bpf_context access off=-N size=N
# BPFLINT-SAID: 1: invalid bpf_context access off=-32 size=4
# PROG-TYPE: tracepoint
# KERNEL: accept
0: r6 = r1
1: r7 = *(u32 *)(r6 - 32)
2: r0 = 0
3: exit
