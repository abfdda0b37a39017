# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 36348 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: invalid access to map value, value_size=N off=N size=N
# BPFLINT-SAID: 14: invalid access to map value, value_size=16 off=17 size=2
# PROG-TYPE: tracepoint
# MAP: 0 type=2 key=4 value=16 entries=16 flags=0
# KERNEL: accept
0: r7 = 5
1: *(u16 *)(r10 - 104) = 4
2: r8 = *(u16 *)(r10 - 104)
3: if r8 s<= 63 goto +11
4: r3 = r7
5: r9 = r3
6: r2 = r10
7: r2 += -16
8: r1 = map[0] ll
10: call 1
11: r5 = r0
12: if r5 == 0 goto +2
13: r0 += r9
14: r7 = *(u16 *)(r0 + 12)
15: r2 = r10
16: r2 += -16
17: r1 = map[0] ll
19: call 1
20: exit
