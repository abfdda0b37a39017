# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 21062 --count 1 (mutated generated (change-cond+nudge-bound)), then minimised
# SIGNATURE: false reject | bpflint: misaligned stack access off N+-N+N size N
# BPFLINT-SAID: 12: misaligned stack access off 0+-9+0 size 8
# PROG-TYPE: sched_cls
# FUNC-INFO: yes (BTF with one static `int f(void)` per function)
# KERNEL: accept
0: *(u8 *)(r10 - 8) = 77
1: r8 = *(u8 *)(r10 - 8)
2: if r8 >= 6 goto +7
3: r1 = 28
4: r2 = func[7] ll
6: r3 = r10
7: r3 += -9
8: r4 = 0
9: call 181
10: r0 = 1
11: exit
12: *(u64 *)(r2 + 0) = r1
13: exit
