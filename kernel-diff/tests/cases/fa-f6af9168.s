# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 108155 --count 1 (generated), then minimised
# SIGNATURE: false accept | kernel: combined stack size of N calls is N. Too large
# BPFLINT-SAID: accept
# PROG-TYPE: kprobe
# KERNEL: reject
# MESSAGE: combined stack size of 2 calls is 576. Too large
0: r8 = *(u8 *)(r10 - 512)
1: call pc+1
2: exit
3: r1 = r10
4: r1 += -64
5: r2 = 1
6: *(u64 *)(r1 + 0) = r2
7: r0 = 0
8: exit
