# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 4961 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: invalid bpf_context access off=N size=N
# BPFLINT-SAID: 5: invalid bpf_context access off=0 size=4
# PROG-TYPE: tracepoint
# KERNEL: accept
0: r6 = r1
1: *(u8 *)(r10 - 80) = 14
2: r8 = *(u8 *)(r10 - 80)
3: if w8 s< 61 goto +2
4: r2 = r6
5: r7 = *(u32 *)(r2 + 0)
6: r0 = 2
7: exit
