# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 3 --start 2422 --count 1 (mutated test_verifier #595 (delete-insn)), then minimised
# SIGNATURE: false accept | kernel: RN type=ctx expected=fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_
# BPFLINT-SAID: accept
# PROG-TYPE: tracepoint
# KERNEL: reject
# MESSAGE: R1 type=ctx expected=fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_
0: r2 = 0
1: r3 = 0
2: call 113
3: exit
