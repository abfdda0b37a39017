# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 4782 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: RN offset is outside of the packet
# BPFLINT-SAID: 7: R2 offset is outside of the packet
# PROG-TYPE: xdp
# FUNC-INFO: yes (BTF with one static `int f(void)` per function)
# KERNEL: accept
0: r6 = r1
1: call 7
2: *(u16 *)(r10 - 96) = 99
3: r8 = *(u16 *)(r10 - 96)
4: r3 = r8
5: if r3 s>= 7 goto +2
6: r2 = *(u32 *)(r6 + 0)
7: r7 = *(u64 *)(r2 + 0)
8: exit
