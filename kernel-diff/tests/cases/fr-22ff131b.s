# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 2 --start 178082 --count 1 (mutated generated (delete-insn)), then minimised
# SIGNATURE: false reject | bpflint: invalid variable-offset write to stack RN var_off=(NxN; NxfN) off=N size=N
# BPFLINT-SAID: 11: invalid variable-offset write to stack R2 var_off=(0x0; 0xf8) off=0 size=8
# PROG-TYPE: kprobe
# FUNC-INFO: yes (BTF with one static `int f(void)` per function)
# MAP: 0 type=2 key=4 value=8 entries=1 flags=0
# KERNEL: accept
0: r7 = 8
1: r8 = 0
2: *(u16 *)(r10 - 16) = r7
3: r7 = *(u16 *)(r10 - 16)
4: r8 <<= r7
5: r3 = r8
6: r3 &= 255
7: r3 &= -8
8: r2 = r10
9: r2 += -232
10: r2 += r3
11: *(u64 *)(r2 + 0) = 0
12: r1 = map[0] ll
14: call 1
15: exit
