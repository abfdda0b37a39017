#!/usr/bin/env python3
"""Benchmark bpflint against the running kernel's verifier on the heavy selftests programs.

For each object, N rounds, each round loading the object into the kernel once and running
bpflint on it once (interleaved, so machine load hits both sides alike). Prints per object the
medians of:

  kernel load   wall time of libbpf's bpf_object__load() in bench/verify_load.c (BTF and map
                creation, CO-RE relocation, BPF_PROG_LOAD of every program; the verifier
                dominates on these objects), measured inside the loader with CLOCK_MONOTONIC;
  kernel verify the kernel's own "verification time", summed over the object's programs
                (verifier log level BPF_LOG_STATS);
  bpflint       wall time of the `bpflint OBJ` process (ELF and kernel BTF reading included);
  ratio         bpflint / kernel load (aim: <= 0.5);
  peak RSS      bpflint's peak resident memory, the largest of the rounds (getrusage of the
                child; aim: <= 128 MB);

and whether both sides agree on the verdict. Input: the clang-19 build of the 6.1 selftests
(`target/corpus/out/NAME.clang.o`, built by `./test.sh`'s corpus step); another folder with
--corpus. Needs root (bpf()), gcc and libbpf-dev (the loader is compiled on each run).

Usage: cargo build --release -p bpflint && bench/verify.py [--runs N] [--corpus DIR] [--bpflint BIN] [NAME ...]
(--bpflint: another bpflint binary, e.g. an older build to compare with)
"""
import argparse, os, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
BPFLINT = os.path.join(TARGET, "release", "bpflint")

# The four programs of issue 15 (acceptance 4) come first; the others are the next heaviest
# selftests objects for bpflint.
AIMED = ["pyperf600_nounroll", "strobemeta_nounroll2", "test_verif_scale2", "pyperf180"]
OTHERS = ["strobemeta", "test_cls_redirect_subprogs", "test_cls_redirect", "pyperf600", "pyperf100", "loop3",
          "pyperf_subprogs", "test_verif_scale1", "test_verif_scale3"]
RATIO_AIM, RSS_AIM_MB = 0.5, 128


def build_loader():
    out = os.path.join(TARGET, "bench", "verify_load")
    src = os.path.join(ROOT, "bench", "verify_load.c")
    if not os.path.exists(out) or os.path.getmtime(out) < os.path.getmtime(src):
        os.makedirs(os.path.dirname(out), exist_ok=True)
        subprocess.run(["gcc", "-O2", "-Wall", "-o", out, src, "-lbpf"], check=True)
    return out


def kernel_round(loader, obj):
    out = subprocess.run([loader, obj], capture_output=True, text=True, check=True).stdout
    kv = dict(x.split("=") for x in out.split())
    return int(kv["load_ns"]) / 1e9, int(kv["verify_us"]) / 1e6, kv["ok"] == "1"


def bpflint_round(bpflint, obj):
    t0 = time.monotonic()
    p = subprocess.Popen([bpflint, obj], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode not in (0, 1):
        sys.exit(f"bpflint {obj}: exit {p.returncode}")
    return wall, ru.ru_maxrss / 1024, p.returncode == 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--corpus", default=os.path.join(TARGET, "corpus", "out"))
    ap.add_argument("--bpflint", default=BPFLINT)
    ap.add_argument("names", nargs="*")
    a = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("needs root (bpf())")
    if not os.path.exists(a.bpflint):
        sys.exit(f"build first: cargo build --release -p bpflint ({a.bpflint} missing)")
    loader = build_loader()
    names = a.names or AIMED + OTHERS
    print(f"{a.runs} rounds each, medians; ratio = bpflint / kernel load (aim <= {RATIO_AIM}), "
          f"peak RSS aim <= {RSS_AIM_MB} MB on {', '.join(AIMED)}")
    print(f"{'program':<26} {'kernel load':>11} {'kern verify':>11} {'bpflint':>9} {'ratio':>6} "
          f"{'peak RSS':>9}  verdict (kernel/bpflint)")
    failed = []
    for name in names:
        obj = os.path.join(a.corpus, name + ".clang.o")
        if not os.path.exists(obj):
            print(f"{name:<26} missing: {obj}")
            continue
        kl, kv, bl, rss = [], [], [], []
        kok = bok = None
        for _ in range(a.runs):
            t, v, kok = kernel_round(loader, obj)
            kl.append(t)
            kv.append(v)
            w, m, bok = bpflint_round(a.bpflint, obj)
            bl.append(w)
            rss.append(m)
        k, b = statistics.median(kl), statistics.median(bl)
        ratio, peak = b / k, max(rss)
        verdict = f"{'ok' if kok else 'rejected'}/{'ok' if bok else 'rejected'}"
        mark = ""
        if name in AIMED and (ratio > RATIO_AIM or peak > RSS_AIM_MB):
            mark = "  <- over aim"
            failed.append(name)
        print(f"{name:<26} {k:>10.3f}s {statistics.median(kv):>10.3f}s {b:>8.3f}s {ratio:>6.2f} "
              f"{peak:>6.0f} MB  {verdict}{mark}")
    print(f"aims met: {'all' if not failed else 'not on ' + ', '.join(failed)}")


if __name__ == "__main__":
    main()
