# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 2 --start 191689 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: invalid variable-offset write to stack RN var_off=(NxN; Nxfffc) off=N size=N
# BPFLINT-SAID: 8: invalid variable-offset write to stack R2 var_off=(0x0; 0xfffc) off=0 size=4
# PROG-TYPE: tracepoint
# KERNEL: accept
0: call 8
1: r7 = r0
2: r3 = r7
3: w3 &= 65535
4: r3 &= -4
5: r2 = r10
6: r2 += -176
7: r2 += r3
8: *(u32 *)(r2 + 0) = 0
9: exit
