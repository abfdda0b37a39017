# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 125337 --count 1 (mutated test_verifier #45 (swap-register)), then minimised
# SIGNATURE: false reject | bpflint: frame pointer is read only
# BPFLINT-SAID: 5: frame pointer is read only
# PROG-TYPE: socket_filter
# KERNEL: accept
0: *(u64 *)(r10 - 8) = 1
1: r8 = r10
2: r9 = 2
3: r9 = atomic_fetch_add((u64 *)(r8 - 8), r9)
4: if r9 == 1 goto +1
5: r10 = 1
6: r0 = 0
7: exit
