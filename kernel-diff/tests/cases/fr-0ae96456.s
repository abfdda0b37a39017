# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 2 --start 154953 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: misaligned stack access off (NxN; NxNfffffffffffffff)+-N+N size N
# BPFLINT-SAID: 11: misaligned stack access off (0x0; 0x7fffffffffffffff)+-232+0 size 4
# PROG-TYPE: tracepoint
# FUNC-INFO: yes (BTF with one static `int f(void)` per function)
# KERNEL: accept
0: r7 = 22
1: r8 = 0
2: *(u16 *)(r10 - 104) = r7
3: r7 = *(u16 *)(r10 - 104)
4: if r7 != 55 goto +7
5: r3 = r8
6: r3 %= 7
7: if r3 s< 0 goto +4
8: r2 = r10
9: r2 += -232
10: r2 += r3
11: *(u32 *)(r2 + 0) = 0
12: r2 = func[3] ll
14: r0 = 0
15: exit
16: exit
