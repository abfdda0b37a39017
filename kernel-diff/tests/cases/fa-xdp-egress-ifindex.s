# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)
# FOUND: bpflint-diff --seed 1 --start 30 --count 1 (generated), then minimised
# SIGNATURE: false accept | kernel: invalid bpf_context access off=N size=N
# BPFLINT-SAID: accept
# NOTE: xdp_md.egress_ifindex is readable only with expected_attach_type BPF_XDP_DEVMAP
# PROG-TYPE: xdp
# KERNEL: reject
# MESSAGE: invalid bpf_context access off=20 size=4
0: r6 = r1
1: r8 = *(u32 *)(r6 + 20)
2: r0 = 1
3: exit
