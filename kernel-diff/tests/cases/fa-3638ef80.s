# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 20261204 --start 740 --count 1 (mutated test_verifier #767 (swap-register)), then minimised
# SIGNATURE: false accept | kernel: math between fp pointer and register with unbounded min value is not allowed
# BPFLINT-SAID: accept
# PROG-TYPE: sched_cls
# KERNEL: reject
# MESSAGE: math between fp pointer and register with unbounded min value is not allowed
0: r6 = r1
1: r8 = r10
2: r0 = *(u8 *)skb[4]
3: r8 += r0
4: exit
