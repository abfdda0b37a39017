# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 3 --start 300 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: RN invalid mem access 'map_value_or_null'
# BPFLINT-SAID: 6: R0 invalid mem access 'map_value_or_null'
# PROG-TYPE: kprobe
# MAP: 0 type=2 key=4 value=64 entries=4 flags=0
# KERNEL: accept
0: *(u32 *)(r10 - 16) = 0
1: r2 = r10
2: r2 += -16
3: r1 = map[0] ll
5: call 1
6: *(u16 *)(r0 + 50) = 1
7: exit
