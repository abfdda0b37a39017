# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 24926 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: invalid variable-offset read from stack RN var_off=(NxN; Nxffff) off=N size=N
# BPFLINT-SAID: 6: invalid variable-offset read from stack R2 var_off=(0x0; 0xffff) off=0 size=1
# PROG-TYPE: sched_cls
# FUNC-INFO: yes (BTF with one static `int f(void)` per function)
# KERNEL: accept
0: *(u16 *)(r10 - 96) = 96
1: r8 = *(u16 *)(r10 - 96)
2: r3 = r8
3: r2 = r10
4: r2 += -104
5: r2 += r3
6: r7 = *(u8 *)(r2 + 0)
7: r2 = func[3] ll
9: r0 = 2
10: exit
11: exit
