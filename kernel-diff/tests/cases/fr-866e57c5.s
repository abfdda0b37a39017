# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 51084 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: math between map_value pointer and N is not allowed
# BPFLINT-SAID: 13: math between map_value pointer and 4294967233 is not allowed
# PROG-TYPE: tracepoint
# MAP: 0 type=2 key=4 value=8 entries=1 flags=0
# KERNEL: accept
0: *(u16 *)(r10 - 40) = 45
1: r8 = *(u16 *)(r10 - 40)
2: if r8 != 63 goto +1
3: w8 = -w8
4: r3 = r8
5: r9 = r3
6: r2 = r10
7: r2 += -16
8: r1 = map[0] ll
10: call 1
11: r5 = r0
12: if r5 == 0 goto +1
13: r0 += r9
14: exit
