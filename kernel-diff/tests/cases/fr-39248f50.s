# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 2 --start 64366 --count 1 (mutated generated (swap-register+drop-check)), then minimised
# SIGNATURE: false reject | bpflint: invalid variable-offset write to stack RN var_off=(NxN; NxNc) off=N size=N
# BPFLINT-SAID: 8: invalid variable-offset write to stack R2 var_off=(0x0; 0x3c) off=0 size=4
# PROG-TYPE: xdp
# FUNC-INFO: yes (BTF with one static `int f(void)` per function)
# KERNEL: accept
0: call 7
1: *(u16 *)(r10 - 112) = 43
2: r8 = *(u16 *)(r10 - 112)
3: r2 = r10
4: r3 = r8
5: if r3 >= 34 goto +3
6: r3 &= -4
7: r2 += r3
8: *(u32 *)(r2 + 0) = 0
9: exit
