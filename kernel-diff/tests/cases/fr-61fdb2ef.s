# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 21207 --count 1 (mutated test_verifier #14 (drop-check)), then minimised
# SIGNATURE: false reject | bpflint: RN type=map_value_or_null expected=fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf
# BPFLINT-SAID: 10: R1 type=map_value_or_null expected=fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf
# PROG-TYPE: sched_cls
# MAP: 0 type=2 key=4 value=48 entries=1 flags=128
# KERNEL: accept
# BPFLINT: reject (a false reject left open)
0: r2 = r10
1: r2 += -8
2: r1 = map[0] ll
4: call 1
5: r1 = r0
6: r2 = 4
7: r3 = 0
8: r4 = 0
9: r5 = 0
10: call 28
11: exit
