# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 4 --start 199900 --count 1 (generated), then minimised
# SIGNATURE: false accept | kernel: value N makes ctx pointer be out of bounds
# BPFLINT-SAID: accept
# PROG-TYPE: sched_cls
# KERNEL: reject
# MESSAGE: value 4294967262 makes ctx pointer be out of bounds
0: r6 = r1
1: r7 = *(u32 *)(r6 + 60)
2: if r7 s>= 27 goto +3
3: r7 = -r7
4: w7 -= 8
5: r7 += r6
6: r0 = 3
7: exit
