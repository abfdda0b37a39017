# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 30852 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: misaligned stack access off (NxN; Nxff)+-N+N size N
# BPFLINT-SAID: 7: misaligned stack access off (0x0; 0xff)+-304+0 size 8
# PROG-TYPE: sched_cls
# KERNEL: accept
0: call 8
1: r7 = r0
2: r3 = r7
3: r3 >>= 56
4: r2 = r10
5: r2 += -304
6: r2 += r3
7: r7 = *(u64 *)(r2 + 0)
8: exit
