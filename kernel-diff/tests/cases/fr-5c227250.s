# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 124622 --count 1 (mutated generated (delete-insn)), then minimised
# SIGNATURE: false reject | bpflint: invalid indirect access to stack RN off=N size=N
# BPFLINT-SAID: 6: invalid indirect access to stack R2 off=0 size=4
# PROG-TYPE: tracepoint
# MAP: 0 type=2 key=4 value=16 entries=4 flags=0
# KERNEL: accept
0: *(u8 *)(r10 - 96) = 39
1: r8 = *(u8 *)(r10 - 96)
2: if r8 s> 21 goto +4
3: r2 = r10
4: r1 = map[0] ll
6: call 1
7: r0 = 3
8: exit
