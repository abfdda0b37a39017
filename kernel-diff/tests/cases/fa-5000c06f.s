# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 4 --start 61947 --count 1 (generated), then minimised
# SIGNATURE: false accept | kernel: math between ctx pointer and N is not allowed
# BPFLINT-SAID: accept
# PROG-TYPE: cgroup_skb
# KERNEL: reject
# MESSAGE: math between ctx pointer and 4294967295 is not allowed
0: r6 = r1
1: r7 = *(u32 *)(r6 + 12)
2: w7 s>>= 31
3: if r7 s>= 21 goto +0
4: r7 += r6
5: r0 = 0
6: exit
