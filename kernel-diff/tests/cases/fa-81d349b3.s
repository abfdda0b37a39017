# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 114461 --count 1 (generated), then minimised
# SIGNATURE: false accept | kernel: invalid variable-offset write to stack RN var_off=(NxN; NxN) off=-N size=N
# BPFLINT-SAID: accept
# PROG-TYPE: sched_cls
# FUNC-INFO: yes (BTF with one static `int f(void)` per function)
# KERNEL: reject
# MESSAGE: invalid variable-offset write to stack R2 var_off=(0x0; 0x38) off=-8 size=8
0: r1 = 38
1: r2 = func[14] ll
3: r3 = r10
4: r3 += -16
5: r4 = 0
6: call 181
7: r8 = *(u64 *)(r10 - 16)
8: r3 = r8
9: r3 >>= 58
10: r3 &= -8
11: r2 = r10
12: r2 += -8
13: r2 += r3
14: *(u64 *)(r2 + 0) = 0
15: exit
16: *(u64 *)(r2 + 0) = r1
17: r0 = 0
18: exit
