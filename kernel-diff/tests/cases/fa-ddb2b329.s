# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 2 --start 25728 --count 1 (mutated test_verifier #68 (swap-register)), then minimised
# SIGNATURE: false accept | kernel: misaligned access off (NxN; Nxffffffffffffffff)+N+-N size N
# BPFLINT-SAID: accept
# PROG-TYPE: socket_filter
# KERNEL: reject
# MESSAGE: misaligned access off (0x0; 0xffffffffffffffff)+0+-8 size 8
0: r5 = r10
1: r5 = xchg_64(r5 - 8, r5)
2: r0 = 1
3: exit
