# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 163129 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: invalid variable-offset read from stack RN var_off=(NxN; Nxffffffff) off=N size=N
# BPFLINT-SAID: 8: invalid variable-offset read from stack R2 var_off=(0x0; 0xffffffff) off=0 size=1
# PROG-TYPE: socket_filter
# MAP: 0 type=2 key=4 value=64 entries=16 flags=0
# KERNEL: accept
0: r6 = r1
1: r7 = *(u32 *)(r6 + 48)
2: *(u8 *)(r10 - 112) = 54
3: r8 = *(u8 *)(r10 - 112)
4: if r8 & 35 goto +4
5: r3 = r7
6: r2 = r10
7: r2 += r3
8: r7 = *(u8 *)(r2 + 0)
9: r2 = r10
10: r2 += -16
11: r1 = map[0] ll
13: call 1
14: exit
