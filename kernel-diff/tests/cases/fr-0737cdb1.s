# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 1093 --count 1 (mutated generated (delete-insn)), then minimised
# SIGNATURE: false reject | bpflint: verifier bug: No program to jit at insn N (subprog < N)
# BPFLINT-SAID: 0: verifier bug: No program to jit at insn 4 (subprog < 0)
# PROG-TYPE: xdp
# FUNC-INFO: yes (BTF with one static `int f(void)` per function)
# KERNEL: accept
0: r2 = func[3] ll
2: r0 = 1
3: exit
4: exit
