# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 145042 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: At callback return the register RN has N should have been in [N, N]
# BPFLINT-SAID: 12: At callback return the register R0 has 2 should have been in [0, 1]
# PROG-TYPE: socket_filter
# FUNC-INFO: yes (BTF with one static `int f(void)` per function)
# KERNEL: accept
0: *(u8 *)(r10 - 128) = 79
1: r8 = *(u8 *)(r10 - 128)
2: if r8 != 54 goto +6
3: r1 = 12
4: r2 = func[6] ll
6: r3 = r10
7: r4 = 0
8: call 181
9: r0 = 1
10: exit
11: r0 = 2
12: exit
