# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 2 --start 57760 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: invalid variable-offset read from stack RN var_off=(NxN; Nxf) off=N size=N
# BPFLINT-SAID: 7: invalid variable-offset read from stack R2 var_off=(0x0; 0xf) off=0 size=1
# PROG-TYPE: tracepoint
# FUNC-INFO: yes (BTF with one static `int f(void)` per function)
# KERNEL: accept
0: *(u8 *)(r10 - 112) = 82
1: r8 = *(u8 *)(r10 - 112)
2: r3 = r8
3: w3 &= 15
4: r2 = r10
5: r2 += -8
6: r2 += r3
7: r7 = *(u8 *)(r2 + 0)
8: r0 = 2
9: exit
