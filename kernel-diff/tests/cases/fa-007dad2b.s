# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 370 --count 1 (mutated generated (swap-register+change-size)), then minimised
# SIGNATURE: false accept | kernel: verifier bug: backtracking misuse
# BPFLINT-SAID: accept
# PROG-TYPE: tracepoint
# FUNC-INFO: yes (BTF with one static `int f(void)` per function)
# KERNEL: reject
# MESSAGE: verifier bug: backtracking misuse
0: r2 = func[5] ll
2: r3 = r10
3: r4 = 0
4: call 181
5: exit
6: r0 = 1
7: exit
