#!/usr/bin/env python3
"""Benchmark bpflint against the running kernel's verifier (BPF_PROG_LOAD) in one run.

Corpus: the kernel's test_verifier cases (linux-source 6.1), generated under
target/bpflint-tv by `bpflint-score`. With --regen (the default) the same run re-asks the kernel
(the extractor times each BPF_PROG_LOAD with CLOCK_MONOTONIC) and then times bpflint on the same
instructions in process, so both columns come from one run on one machine.

Prints: total time of each side and the ratio (kernel / bpflint: above 1 means bpflint is
faster), and instructions per second on the largest programs. Needs root (bpf()).
Usage: cargo build --release -p bpflint && bench/lint.py [--no-regen]
"""
import json, os, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
SCORE = os.path.join(TARGET, "release", "bpflint-score")


def main():
    if not os.path.exists(SCORE):
        sys.exit(f"build first: cargo build --release -p bpflint ({SCORE} missing)")
    args = [SCORE, "--json"]
    if "--no-regen" not in sys.argv:
        args.append("--regen")
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    r = json.loads(out.strip().splitlines()[-1])
    k, b = r["kernel_ns"], r["bpflint_ns"]
    print(f"corpus: {r['cases']} test_verifier programs, {r['insns']} instructions")
    print(f"  kernel BPF_PROG_LOAD total  {k / 1e6:10.1f} ms")
    print(f"  bpflint (in process) total  {b / 1e6:10.1f} ms")
    print(f"  ratio kernel/bpflint        {k / max(b, 1):10.2f}x")
    print(f"  agreement {100 * r['agreement']:.2f}%, false accepts {r['false_accept']}")
    print("largest programs (instructions / second):")
    print(f"  {'insns':>8} {'processed':>10} {'kernel insn/s':>14} {'bpflint insn/s':>15}  case")
    for c in r["largest"]:
        kn, bn = max(c["kernel_ns"], 1), max(c["bpflint_ns"], 1)
        print(f"  {c['insns']:>8} {c['processed']:>10} {c['insns'] * 1e9 / kn:>14.3g} {c['insns'] * 1e9 / bn:>15.3g}  #{c['index']} {c['descr'][:50]}")


if __name__ == "__main__":
    main()
