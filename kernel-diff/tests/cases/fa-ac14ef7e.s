# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 20261204 --start 1307 --count 1 (mutated test_verifier #597 (delete-insn+nudge-bound)), then minimised
# SIGNATURE: false accept | kernel: invalid write to stack RN off=N size=N
# BPFLINT-SAID: accept
# PROG-TYPE: tracepoint
# KERNEL: reject
# MESSAGE: invalid write to stack R1 off=0 size=0
0: r1 = r10
1: r2 = 0
2: r3 = -1
3: call 113
4: exit
