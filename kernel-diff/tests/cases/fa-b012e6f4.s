# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 1651 --count 1 (mutated generated (delete-insn)), then minimised
# SIGNATURE: false accept | kernel: verifier bug: No program to jit at insn N (subprog < N)
# BPFLINT-SAID: accept
# PROG-TYPE: cgroup_skb
# FUNC-INFO: yes (BTF with one static `int f(void)` per function)
# KERNEL: reject
# MESSAGE: verifier bug: No program to jit at insn 6 (subprog < 0)
0: call pc+3
1: r2 = func[4] ll
3: exit
4: r0 = 0
5: exit
6: exit
