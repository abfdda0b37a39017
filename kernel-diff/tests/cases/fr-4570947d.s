# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 3 --start 1733 --count 1 (mutated generated (change-size+change-cond)), then minimised
# SIGNATURE: false reject | bpflint: RN pointer arithmetic on map_value_or_null prohibited, null-check it first
# BPFLINT-SAID: 9: R0 pointer arithmetic on map_value_or_null prohibited, null-check it first
# PROG-TYPE: tracepoint
# MAP: 0 type=2 key=4 value=48 entries=16 flags=0
# KERNEL: accept
0: r7 = 9
1: *(u32 *)(r10 - 16) = r7
2: r2 = r10
3: r2 += -16
4: r1 = map[0] ll
6: r3 = r7
7: r9 = r3
8: call 1
9: r0 += r9
10: exit
