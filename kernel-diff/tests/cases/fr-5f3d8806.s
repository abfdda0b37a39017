# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 2 --start 45619 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: At program exit the register RN is not a known value (map_value)
# BPFLINT-SAID: 13: At program exit the register R0 is not a known value (map_value)
# PROG-TYPE: cgroup_skb
# MAP: 0 type=2 key=4 value=16 entries=16 flags=0
# KERNEL: accept
0: *(u32 *)(r10 - 16) = 5
1: r2 = r10
2: r2 += -16
3: r1 = map[0] ll
5: call 1
6: *(u8 *)(r10 - 32) = 98
7: r8 = *(u8 *)(r10 - 32)
8: if r8 == 62 goto +4
9: *(u64 *)(r10 - 8) = 0
10: r1 = r10
11: r1 += -16
12: call pc+1
13: exit
14: r0 = *(u64 *)(r1 + 8)
15: exit
