# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 73475 --count 1 (mutated test_verifier #262 (change-cond)), then minimised
# SIGNATURE: false accept | kernel: combined stack size of N calls is N. Too large
# BPFLINT-SAID: accept
# PROG-TYPE: xdp
# KERNEL: reject
# MESSAGE: combined stack size of 3 calls is 608. Too large
0: r1 = 1
1: call pc+3
2: call pc+7
3: r0 = 0
4: exit
5: if r1 s< 0 goto +2
6: *(u8 *)(r10 - 300) = 0
7: exit
8: call pc+1
9: exit
10: *(u8 *)(r10 - 300) = 0
11: exit
