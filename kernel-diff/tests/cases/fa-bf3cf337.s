# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 119404 --count 1 (mutated test_verifier #621 (delete-insn+delete-insn)), then minimised
# SIGNATURE: false accept | kernel: RN offset is outside of the packet
# BPFLINT-SAID: accept
# PROG-TYPE: sched_cls
# KERNEL: reject
# MESSAGE: R1 offset is outside of the packet
0: r6 = *(u32 *)(r1 + 76)
1: r6 += 1
2: r1 = r6
3: r2 = 0
4: r3 = 0
5: r4 = 0
6: r5 = 0
7: call 28
8: exit
