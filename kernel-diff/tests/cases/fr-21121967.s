# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 109401 --count 1 (mutated test_verifier #25 (nudge-bound+change-cond)), then minimised
# SIGNATURE: false reject | bpflint: infinite loop detected at insn N
# BPFLINT-SAID: 3: infinite loop detected at insn 3
# PROG-TYPE: socket_filter
# KERNEL: accept
0: r0 = 0
1: *(u64 *)(r10 - 8) = r0
2: r1 = atomic_fetch_add((u64 *)(r10 - 8), r1)
3: if r1 == -1 goto -1
4: exit
