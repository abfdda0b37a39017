# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 5 --start 21106 --count 1 (generated), then minimised
# SIGNATURE: false accept | kernel: combined stack size of N calls is N. Too large
# BPFLINT-SAID: accept
# PROG-TYPE: xdp
# FUNC-INFO: yes (BTF with one static `int f(void)` per function)
# MAP: 0 type=2 key=4 value=64 entries=4 flags=0
# KERNEL: reject
# MESSAGE: combined stack size of 2 calls is 544. Too large
0: call pc+9
1: r1 = map[0] ll
3: r2 = r10
4: r2 += -8
5: r3 = r10
6: r3 += -64
7: r4 = 0
8: call 2
9: exit
10: *(u64 *)(r10 - 480) = 0
11: call pc+1
12: exit
13: exit
