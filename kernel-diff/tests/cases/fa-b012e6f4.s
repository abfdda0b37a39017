# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 9 --start 15041 --count 1 (mutated generated (delete-insn)), then minimised
# SIGNATURE: false accept | kernel: verifier bug: No program to jit at insn N (subprog < N)
# BPFLINT-SAID: accept
# PROG-TYPE: sched_cls
# FUNC-INFO: yes (BTF with one static `int f(void)` per function)
# KERNEL: reject
# MESSAGE: verifier bug: No program to jit at insn 7 (subprog < 0)
0: r2 = func[5] ll
2: r2 = func[4] ll
4: call pc+3
5: exit
6: exit
7: exit
8: r0 = 0
9: exit
