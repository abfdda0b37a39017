# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 2 --start 151643 --count 1 (mutated test_verifier #255 (swap-register)), then minimised
# SIGNATURE: false accept | kernel: cannot return stack pointer to the caller
# BPFLINT-SAID: accept
# PROG-TYPE: xdp
# KERNEL: reject
# MESSAGE: cannot return stack pointer to the caller
0: r1 = r10
1: call pc+1
2: exit
3: r6 = r1
4: call pc+2
5: r0 = r6
6: exit
7: exit
