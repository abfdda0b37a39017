# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 93164 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: variable ctx access var_off=(NxN; NxNfffffffffffffff) disallowed
# BPFLINT-SAID: 11: variable ctx access var_off=(0x0; 0x7fffffffffffffff) disallowed
# PROG-TYPE: socket_filter
# MAP: 0 type=1 key=4 value=16 entries=16 flags=0
# KERNEL: accept
0: r6 = r1
1: r7 = 33
2: r8 = 0
3: *(u16 *)(r10 - 40) = r7
4: r7 = *(u16 *)(r10 - 40)
5: if w7 < 53 goto +6
6: r3 = r8
7: r3 %= 32
8: if r3 s< 0 goto +3
9: r2 = r6
10: r2 += r3
11: r7 = *(u32 *)(r2 + 0)
12: r2 = r10
13: r2 += -16
14: r1 = map[0] ll
16: call 1
17: exit
