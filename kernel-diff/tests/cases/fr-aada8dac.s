# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 161677 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: invalid access to map value, value_size=N off=-N size=N
# BPFLINT-SAID: 11: invalid access to map value, value_size=8 off=-3 size=4
# PROG-TYPE: tracepoint
# MAP: 0 type=2 key=4 value=8 entries=1 flags=0
# KERNEL: accept
0: r7 = 31
1: *(u8 *)(r10 - 8) = r7
2: r7 = *(u8 *)(r10 - 8)
3: if r7 s<= 50 goto +8
4: r2 = r10
5: r2 += -16
6: r1 = map[0] ll
8: call 1
9: r5 = r0
10: if r5 == 0 goto +1
11: *(u32 *)(r0 - 3) = 1
12: r0 = 3
13: exit
