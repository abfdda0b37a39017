# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 78748 --count 1 (mutated generated (swap-register+nudge-bound)), then minimised
# SIGNATURE: false reject | bpflint: RN pointer arithmetic with %= operator prohibited
# BPFLINT-SAID: 7: R7 pointer arithmetic with %= operator prohibited
# PROG-TYPE: cgroup_skb
# FUNC-INFO: yes (BTF with one static `int f(void)` per function)
# KERNEL: accept
0: r6 = r1
1: call 7
2: r7 = r0
3: r8 = 0
4: w7 s>>= 30
5: if w7 s< 59 goto +1
6: r7 = r6
7: r7 %= r8
8: r0 = 0
9: exit
