# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 11511 --count 1 (mutated generated (nudge-bound)), then minimised
# SIGNATURE: false reject | bpflint: RN unbounded memory access, make sure to bounds check any such access
# BPFLINT-SAID: 13: R0 unbounded memory access, make sure to bounds check any such access
# PROG-TYPE: sched_cls
# MAP: 0 type=2 key=4 value=64 entries=4 flags=0
# KERNEL: accept
0: call 8
1: r7 = r0
2: r3 = r7
3: if r3 s< 0 goto +10
4: r9 = r3
5: r2 = r10
6: r2 += -4
7: r1 = map[0] ll
9: call 1
10: r5 = r0
11: if r5 == 0 goto +2
12: r0 += r9
13: r7 = *(u64 *)(r0 + 5)
14: exit
