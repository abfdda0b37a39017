# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 2389 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: math between ctx pointer and register with unbounded min value is not allowed
# BPFLINT-SAID: 3: math between ctx pointer and register with unbounded min value is not allowed
# PROG-TYPE: kprobe
# KERNEL: accept
0: r6 = r1
1: call 8
2: r7 = r0
3: r7 += r6
4: exit
