# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 8 --start 87099 --count 1 (mutated test_verifier #981 (delete-insn)), then minimised
# SIGNATURE: false accept | kernel: BPF_EXIT instruction in main prog would lead to reference leak
# BPFLINT-SAID: accept
# PROG-TYPE: sched_cls
# KERNEL: reject
# MESSAGE: BPF_EXIT instruction in main prog would lead to reference leak
0: r2 = r10
1: r2 += -48
2: r3 = 36
3: r4 = 0
4: r5 = 0
5: call 84
6: if r0 != 0 goto +1
7: exit
8: r1 = r0
9: call 137
10: if r0 != 0 goto +1
11: exit
12: r1 = r0
13: call 86
14: exit
