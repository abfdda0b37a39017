# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 7 --start 7615 --count 1 (generated), then minimised
# SIGNATURE: false accept | kernel: math between ctx pointer and N is not allowed
# BPFLINT-SAID: accept
# PROG-TYPE: tracepoint
# KERNEL: reject
# MESSAGE: math between ctx pointer and 4294967295 is not allowed
0: r6 = r1
1: call 7
2: r7 = r0
3: w7 s>>= 31
4: r7 |= 77
5: r7 += r6
6: exit
