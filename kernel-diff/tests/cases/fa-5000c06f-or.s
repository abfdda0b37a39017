# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 6 --start 96915 --count 1 (generated), then minimised
# SIGNATURE: false accept | kernel: math between ctx pointer and N is not allowed
# BPFLINT-SAID: accept
# PROG-TYPE: kprobe
# KERNEL: reject
# MESSAGE: math between ctx pointer and 4294967295 is not allowed
0: r6 = r1
1: r7 = *(u64 *)(r6 + 40)
2: r8 = 0
3: w7 s>>= 31
4: r7 |= r8
5: r7 += r6
6: r0 = 2
7: exit
