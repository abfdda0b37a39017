# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 13 --start 134475 --count 1 (generated), then minimised
# SIGNATURE: false accept | kernel: value N makes ctx pointer be out of bounds
# BPFLINT-SAID: accept
# PROG-TYPE: tracepoint
# FUNC-INFO: yes (BTF with one static `int f(void)` per function)
# KERNEL: reject
# MESSAGE: value 4294967265 makes ctx pointer be out of bounds
0: r6 = r1
1: call 8
2: r7 = r0
3: w7 -= 31
4: r7 += r6
5: r2 = func[2] ll
7: exit
8: exit
