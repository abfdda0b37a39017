# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 817 --count 1 (mutated generated (nudge-bound)), then minimised
# SIGNATURE: false reject | bpflint: math between fp pointer and N is not allowed
# BPFLINT-SAID: 8: math between fp pointer and 4294967281 is not allowed
# PROG-TYPE: tracepoint
# KERNEL: accept
0: call 7
1: r7 = r0
2: r8 = 0
3: w7 s>>= 31
4: w8 -= 15
5: if w7 s< 25 goto +3
6: r3 = r8
7: r2 = r10
8: r2 += r3
9: exit
