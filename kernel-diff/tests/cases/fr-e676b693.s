# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 115631 --count 1 (generated), then minimised
# SIGNATURE: false reject | bpflint: invalid indirect access to stack RN off=-N size=N
# BPFLINT-SAID: 8: invalid indirect access to stack R1 off=-32 size=255
# PROG-TYPE: kprobe
# KERNEL: accept
0: r6 = r1
1: r7 = 30
2: *(u8 *)(r10 - 48) = r7
3: r7 = *(u8 *)(r10 - 48)
4: r1 = r10
5: r1 += -32
6: r2 = r7
7: r3 = r6
8: call 113
9: exit
