# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 3 --start 31 --count 1 (generated), then minimised
# SIGNATURE: false accept | kernel: missing btf func_info
# BPFLINT-SAID: accept
# PROG-TYPE: sched_cls
# KERNEL: reject
# MESSAGE: missing btf func_info
0: r2 = func[3] ll
2: r0 = 2
3: exit
4: exit
