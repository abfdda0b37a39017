# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 3 --start 103 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: BPF_ST stores into RN ctx is not allowed
# BPFLINT-SAID: 1: BPF_ST stores into R6 ctx is not allowed
# PROG-TYPE: sched_cls
# KERNEL: accept
0: r6 = r1
1: *(u32 *)(r6 + 44) = 5
2: r0 = 3
3: exit
