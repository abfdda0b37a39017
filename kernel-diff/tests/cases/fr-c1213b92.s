# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 145416 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: value -N makes ctx pointer be out of bounds
# BPFLINT-SAID: 4: value -9223372036854775752 makes ctx pointer be out of bounds
# PROG-TYPE: socket_filter
# FUNC-INFO: yes (BTF with one static `int f(void)` per function)
# KERNEL: accept
0: r6 = r1
1: call 8
2: r7 = r0
3: r7 |= 56
4: r7 += r6
5: exit
