# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 3 --start 2389 --count 1 (mutated test_verifier #598 (change-cond)), then minimised
# SIGNATURE: false accept | kernel: RN type=map_value_or_null expected=fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_
# BPFLINT-SAID: accept
# PROG-TYPE: tracepoint
# MAP: 0 type=1 key=8 value=8 entries=1 flags=0
# KERNEL: reject
# MESSAGE: R1 type=map_value_or_null expected=fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_
0: r2 = r10
1: r2 += -8
2: r1 = map[0] ll
4: call 1
5: r1 = r0
6: r2 = 0
7: r3 = 0
8: call 113
9: exit
