# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 91516 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: RN N-bit pointer arithmetic prohibited
# BPFLINT-SAID: 5: R6 32-bit pointer arithmetic prohibited
# PROG-TYPE: kprobe
# FUNC-INFO: yes (BTF with one static `int f(void)` per function)
# KERNEL: accept
0: r6 = r1
1: *(u16 *)(r10 - 16) = 66
2: r8 = *(u16 *)(r10 - 16)
3: call pc+4
4: if r8 s>= 60 goto +1
5: w6 += 1
6: r0 = 1
7: exit
8: exit
