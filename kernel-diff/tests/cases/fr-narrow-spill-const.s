# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 20261204 --start 2973 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: RN invalid mem access 'map_value_or_null'
# BPFLINT-SAID: 9: R0 invalid mem access 'map_value_or_null'
# PROG-TYPE: tracepoint
# MAP: 0 type=2 key=4 value=48 entries=16 flags=0
# KERNEL: accept
0: r7 = 50
1: *(u16 *)(r10 - 32) = r7
2: r7 = *(u16 *)(r10 - 32)
3: if r7 != 47 goto +6
4: r2 = r10
5: r2 += -16
6: r1 = map[0] ll
8: call 1
9: *(u8 *)(r0 + 44) = 1
10: r0 = 1
11: exit
