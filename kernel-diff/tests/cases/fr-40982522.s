# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 2 --start 91497 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: invalid read from stack RN off=-N size=N
# BPFLINT-SAID: 3: invalid read from stack R10 off=-516 size=4
# PROG-TYPE: xdp
# KERNEL: accept
0: *(u8 *)(r10 - 16) = 77
1: r8 = *(u8 *)(r10 - 16)
2: if r8 > 57 goto +1
3: r8 = *(u32 *)(r10 - 516)
4: r0 = 1
5: exit
