# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 3 --start 2848 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: invalid variable-offset read from stack RN var_off=(NxN; Nxfc) off=N size=N
# BPFLINT-SAID: 8: invalid variable-offset read from stack R2 var_off=(0x0; 0xfc) off=0 size=4
# PROG-TYPE: cgroup_skb
# KERNEL: accept
0: call 8
1: r7 = r0
2: r3 = r7
3: r3 >>= 56
4: r3 &= -4
5: r2 = r10
6: r2 += -16
7: r2 += r3
8: r7 = *(u32 *)(r2 + 0)
9: exit
