# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 58130 --count 1 (mutated test_verifier #69 (nudge-bound+swap-register)), then minimised
# SIGNATURE: false accept | kernel: RN !read_ok
# BPFLINT-SAID: accept
# PROG-TYPE: socket_filter
# KERNEL: reject
# MESSAGE: R0 !read_ok
0: r8 = r10
1: r9 = 17
2: r9 = xchg_64(r8 - 8, r9)
3: r1 = *(u64 *)(r10 - 8)
4: if r1 == 16 goto +1
5: r0 = 2
6: exit
