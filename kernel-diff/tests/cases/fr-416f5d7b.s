# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 8253 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: BPF program is too large. Processed N insn
# BPFLINT-SAID: 8: BPF program is too large. Processed 1000001 insn
# PROG-TYPE: tracepoint
# KERNEL: accept
0: r6 = r1
1: r7 = 7
2: r8 = 0
3: *(u16 *)(r10 - 120) = r7
4: r7 = *(u16 *)(r10 - 120)
5: if r7 <= 64 goto +5
6: r1 = 0
7: r2 = *(u16 *)(r6 + 32)
8: r8 += r2
9: r1 += 0
10: if r1 != 11 goto -4
11: r1 = r10
12: r1 += -8
13: r2 = r7
14: call pc+3
15: r8 = r0
16: r0 = 2
17: exit
18: r0 = *(u64 *)(r1 + 0)
19: exit
