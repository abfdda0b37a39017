# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 1430 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: math between map_value pointer and register with unbounded min value is not allowed
# BPFLINT-SAID: 14: math between map_value pointer and register with unbounded min value is not allowed
# PROG-TYPE: socket_filter
# MAP: 0 type=2 key=4 value=64 entries=16 flags=0
# KERNEL: accept
0: r7 = 23
1: r8 = 0
2: *(u8 *)(r10 - 64) = r7
3: r7 = *(u8 *)(r10 - 64)
4: if r7 & 18 goto +10
5: r3 = r8
6: r3 %= 31
7: r9 = r3
8: *(u32 *)(r10 - 16) = 0
9: r2 = r10
10: r2 += -16
11: r1 = map[0] ll
13: call 1
14: r0 += r9
15: r0 = 2
16: exit
