# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 186639 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: dereference of modified ctx ptr RN off=N disallowed
# BPFLINT-SAID: 7: dereference of modified ctx ptr R2 off=56 disallowed
# PROG-TYPE: socket_filter
# FUNC-INFO: yes (BTF with one static `int f(void)` per function)
# KERNEL: accept
0: r6 = r1
1: *(u16 *)(r10 - 128) = 17
2: r8 = *(u16 *)(r10 - 128)
3: if r8 != 56 goto +4
4: r3 = r8
5: r2 = r6
6: r2 += r3
7: r7 = *(u32 *)(r2 + 0)
8: r1 = r10
9: r1 += -16
10: call pc+1
11: exit
12: r0 = *(u64 *)(r1 + 8)
13: exit
