# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 10 --start 97419 --count 1 (mutated test_verifier #1061 (shift-offset+delete-insn)), then minimised
# SIGNATURE: false accept | kernel: RN is ptr_tcp_sock invalid negative access: off=-N
# BPFLINT-SAID: accept
# PROG-TYPE: sched_cls
# KERNEL: reject
# MESSAGE: R7 is ptr_tcp_sock invalid negative access: off=-4
0: r1 = *(u64 *)(r1 + 168)
1: if r1 != 0 goto +2
2: r0 = 0
3: exit
4: call 137
5: r7 = r0
6: r8 = r0
7: if r8 != 0 goto +1
8: exit
9: r0 = *(u8 *)(r7 - 4)
10: exit
