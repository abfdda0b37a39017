# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 2374 --count 1 (mutated test_verifier #56 (delete-insn+nudge-bound)), then minimised
# SIGNATURE: false reject | bpflint: RN !read_ok
# BPFLINT-SAID: 5: R0 !read_ok
# PROG-TYPE: socket_filter
# KERNEL: accept
0: *(u64 *)(r10 - 8) = 16
1: r5 = r10
2: r4 = 17
3: r4 = atomic_fetch_or((u64 *)(r5 - 8), r4)
4: if r4 == 16 goto +1
5: exit
6: r0 = 0
7: exit
