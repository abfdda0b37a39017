# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 103117 --count 1 (generated), then minimised
# SIGNATURE: false accept | kernel: RN invalid mem access 'map_value_or_null'
# BPFLINT-SAID: accept
# PROG-TYPE: socket_filter
# MAP: 0 type=2 key=4 value=16 entries=1 flags=0
# KERNEL: reject
# MESSAGE: R0 invalid mem access 'map_value_or_null'
0: r7 = 19
1: r8 = 0
2: r7 <<= 44
3: *(u32 *)(r10 - 16) = r7
4: r2 = r10
5: r2 += -16
6: r1 = map[0] ll
8: call 1
9: *(u16 *)(r0 + 9) = r8
10: exit
