# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 2 --start 42869 --count 1 (mutated test_verifier #656 (nudge-bound)), then minimised
# SIGNATURE: false accept | kernel: RN unbounded memory access, make sure to bounds check any such access
# BPFLINT-SAID: accept
# PROG-TYPE: tracepoint
# MAP: 0 type=1 key=8 value=48 entries=1 flags=0
# KERNEL: reject
# MESSAGE: R1 unbounded memory access, make sure to bounds check any such access
0: r2 = r10
1: r2 += -8
2: r1 = map[0] ll
4: call 1
5: if r0 == 0 goto +5
6: r1 = r0
7: r3 = *(u32 *)(r0 + 0)
8: r1 += r3
9: r2 = 0
10: call 113
11: exit
