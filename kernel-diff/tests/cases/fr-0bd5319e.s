# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 143988 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: invalid variable-offset write to stack RN var_off=(NxN; Nxfffe) off=N size=N
# BPFLINT-SAID: 8: invalid variable-offset write to stack R2 var_off=(0x0; 0xfffe) off=0 size=2
# PROG-TYPE: kprobe
# FUNC-INFO: yes (BTF with one static `int f(void)` per function)
# KERNEL: accept
0: r7 = 15
1: *(u16 *)(r10 - 128) = r7
2: r7 = *(u16 *)(r10 - 128)
3: r3 = r7
4: r3 &= -2
5: r2 = r10
6: r2 += -88
7: r2 += r3
8: *(u16 *)(r2 + 0) = 0
9: r2 = func[3] ll
11: r0 = 2
12: exit
13: exit
