# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 3 --start 239 --count 1 (mutated generated (swap-register+shift-offset)), then minimised
# SIGNATURE: false reject | bpflint: BPF_ST uses reserved fields
# BPFLINT-SAID: 2: BPF_ST uses reserved fields
# PROG-TYPE: kprobe
# KERNEL: accept
# BPFLINT: reject (a false reject left open)
0: r8 = 0
1: if r8 s< 26 goto +1
2: .raw 0x6a 10 5 -103 17
3: r0 = 0
4: exit
