# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 2 --start 143420 --count 1 (mutated generated (change-cond+swap-register)), then minimised
# SIGNATURE: false reject | bpflint: invalid read from stack RN off=N size=N
# BPFLINT-SAID: 4: invalid read from stack R10 off=8 size=8
# PROG-TYPE: tracepoint
# KERNEL: accept
0: r7 = 29
1: *(u16 *)(r10 - 104) = r7
2: r7 = *(u16 *)(r10 - 104)
3: if r7 s> 27 goto +1
4: r7 = *(u64 *)(r10 + 8)
5: r0 = 0
6: exit
