#!/usr/bin/env python3
"""Ask the running kernel which helpers each program type may call, and write the answer as
bpflint's data (bpflint/src/helpers_measured.rs). Needs root (bpf()).

For each program type (with the expected attach type given below) and each helper id, a program
`r1..r5 = 0; call N; r0 = 0; exit` is loaded with a verifier log. "program of this type cannot
use helper" / "invalid func" means the type cannot call it; "helper call might sleep" means only
sleepable programs can; any other outcome (the call passed the availability check and failed on
its arguments, or loaded) means it can. bpflint/tests/helpers_kernel.rs repeats the probe and
asserts that bpflint's tables agree.
Usage: sudo scripts/probe-helpers.py [OUT]
"""
import ctypes, os, platform, struct, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "bpflint/src/helpers_measured.rs")
MAX_HELPER = 230
# (program type, expected attach type, name)
TYPES = [(1, 0, "socket_filter"), (2, 0, "kprobe"), (3, 0, "sched_cls"), (4, 0, "sched_act"),
         (5, 0, "tracepoint"), (6, 0, "xdp"), (7, 0, "perf_event"), (8, 0, "cgroup_skb"),
         (9, 2, "cgroup_sock"), (10, 0, "lwt_in"), (11, 0, "lwt_out"), (12, 0, "lwt_xmit"),
         (13, 0, "sock_ops"), (14, 0, "sk_skb"), (15, 0, "cgroup_device"), (16, 0, "sk_msg"),
         (17, 0, "raw_tracepoint"), (18, 8, "cgroup_sock_addr"), (19, 0, "lwt_seg6local"),
         (21, 0, "sk_reuseport"), (22, 17, "flow_dissector"), (23, 0, "cgroup_sysctl"),
         (25, 22, "cgroup_sockopt")]

libc = ctypes.CDLL(None, use_errno=True)
LIC = ctypes.create_string_buffer(b"GPL")
NON_GPL = ctypes.create_string_buffer(b"MIT")
LOG = ctypes.create_string_buffer(1 << 16)


def insn(code, dst=0, src=0, off=0, imm=0):
    return struct.pack("<BBhi", code, (src << 4) | dst, off, imm)


def probe(ptype, attach, helper, lic=LIC):
    code = b"".join(insn(0xB7, r) for r in range(1, 6)) + insn(0x85, imm=helper) + insn(0xB7) + insn(0x95)
    buf = ctypes.create_string_buffer(code)
    attr = bytearray(128)
    struct.pack_into("<IIQQIIQI", attr, 0, ptype, len(code) // 8, ctypes.addressof(buf),
                     ctypes.addressof(lic), 1, len(LOG), ctypes.addressof(LOG), 0)
    struct.pack_into("<I", attr, 68, attach)  # expected_attach_type
    a = (ctypes.c_char * len(attr)).from_buffer(attr)
    fd = libc.syscall(321, 5, a, len(attr))  # SYS_bpf, BPF_PROG_LOAD
    if fd >= 0:
        os.close(fd)
        return "yes"
    log = LOG.value.decode(errors="replace")
    if "cannot use helper" in log or "invalid func" in log or "unknown func" in log:
        return "no"
    if "GPL-restricted" in log:
        return "gpl"
    if "might sleep" in log:
        return "sleep"
    if not log:
        sys.exit(f"type {ptype} helper {helper}: load failed without a log (errno {ctypes.get_errno()})")
    return "yes"


def main():
    avail, sleep = [], set()
    for ptype, attach, name in TYPES:
        ids = []
        for h in range(1, MAX_HELPER):
            r = probe(ptype, attach, h)
            if r == "yes":
                ids.append(h)
            elif r == "sleep":
                sleep.add(h)
        avail.append((ptype, attach, name, ids))
    # GPL-only helpers: the kernel refuses them to a non-GPL program before any argument check
    # ("cannot call GPL-restricted function from non-GPL compatible program"); asked once per
    # helper, of the first program type that may call it
    gpl = set()
    for h in range(1, MAX_HELPER):
        where = next(((t, a) for t, a, _, ids in avail if h in ids), None)
        where = where or next(((t, a) for t, a, _ in TYPES if h in sleep and probe(t, a, h) == "sleep"), None)
        if where and probe(where[0], where[1], h, NON_GPL) == "gpl":
            gpl.add(h)
    rel = platform.release()
    with open(OUT, "w") as f:
        f.write("//! Helper availability measured on the running kernel by `scripts/probe-helpers.py`\n")
        f.write(f"//! (Linux {rel}); generated, do not edit. bpflint/tests/helpers_kernel.rs re-asks the kernel.\n\n")
        f.write(f"/// The kernel the table was measured on.\npub const KERNEL: &str = \"{rel}\";\n\n")
        f.write("#[rustfmt::skip]\n")
        f.write("/// (program type, expected attach type of the probe, helpers it may call).\n")
        f.write("pub const AVAILABLE: &[(u32, u32, &[u32])] = &[\n")
        for ptype, attach, name, ids in avail:
            f.write(f"    // {name}\n    ({ptype}, {attach}, &{ids}),\n")
        f.write("];\n\n/// Helpers only sleepable programs may call (\"helper call might sleep in a non-sleepable prog\").\n")
        f.write("#[rustfmt::skip]\n")
        f.write(f"pub const MIGHT_SLEEP: &[u32] = &{sorted(sleep)};\n")
        f.write("\n/// Helpers only GPL-compatible programs may call (\"cannot call GPL-restricted function\").\n")
        f.write("#[rustfmt::skip]\n")
        f.write(f"pub const GPL_ONLY: &[u32] = &{sorted(gpl)};\n")
    print(f"wrote {OUT}: {len(avail)} program types, {len(sleep)} sleepable-only helpers, {len(gpl)} GPL-only helpers")


if __name__ == "__main__":
    main()
