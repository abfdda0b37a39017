# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 2 --start 111137 --count 1 (mutated generated (delete-insn+swap-register)), then minimised
# SIGNATURE: false reject | bpflint: RN type=scalar expected=map_ptr
# BPFLINT-SAID: 4: R1 type=scalar expected=map_ptr
# PROG-TYPE: sched_cls
# KERNEL: accept
0: r1 = 0
1: *(u8 *)(r10 - 48) = 21
2: r8 = *(u8 *)(r10 - 48)
3: if r8 & 29 goto +1
4: call 1
5: r0 = 1
6: exit
