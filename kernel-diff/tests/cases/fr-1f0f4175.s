# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 3 --start 26005 --count 1 (mutated generated (change-size)), then minimised
# SIGNATURE: false reject | bpflint: invalid variable-offset write to stack RN var_off=(NxN; NxN) off=N size=N
# BPFLINT-SAID: 8: invalid variable-offset write to stack R2 var_off=(0x0; 0x38) off=0 size=4
# PROG-TYPE: tracepoint
# FUNC-INFO: yes (BTF with one static `int f(void)` per function)
# KERNEL: accept
0: call 8
1: r7 = r0
2: r3 = r7
3: w3 &= 63
4: r3 &= -8
5: r2 = r10
6: r2 += -16
7: r2 += r3
8: *(u32 *)(r2 + 0) = 0
9: exit
