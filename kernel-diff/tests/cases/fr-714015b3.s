# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 35624 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: invalid variable-offset write to stack RN var_off=(NxN; Nxff) off=N size=N
# BPFLINT-SAID: 9: invalid variable-offset write to stack R2 var_off=(0x0; 0xff) off=0 size=1
# PROG-TYPE: socket_filter
# KERNEL: accept
0: r6 = r1
1: r7 = *(u32 *)(r6 + 48)
2: *(u8 *)(r10 - 8) = 94
3: r8 = *(u8 *)(r10 - 8)
4: if w8 & 9 goto +5
5: r3 = r7
6: r3 &= 255
7: r2 = r10
8: r2 += r3
9: *(u8 *)(r2 + 0) = 0
10: r0 = 2
11: exit
