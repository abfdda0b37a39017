# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 118046 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: missing btf func_info
# BPFLINT-SAID: 7: missing btf func_info
# PROG-TYPE: tracepoint
# KERNEL: accept
0: r7 = 18
1: *(u8 *)(r10 - 88) = r7
2: r7 = *(u8 *)(r10 - 88)
3: r1 = r10
4: r1 += -16
5: call pc+4
6: if r7 s>= 11 goto +2
7: r2 = func[4] ll
9: exit
10: r0 = *(u64 *)(r1 + 8)
11: exit
12: exit
