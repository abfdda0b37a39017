#!/usr/bin/env python3
"""Benchmark bpfasm against llvm-mc-19 in one run: time and peak memory, with ratios.

Inputs: the largest file of the clang-19 selftests corpus (built by the tests into
target/corpus, or pass paths) and a generated file of 1,000,000 instructions.
Usage: bench/asm.py [--runs N] [extra.s ...]
Environment: BPFASM (default: target/release/bpfasm) picks the binary.
"""
import os, resource, subprocess, sys, time, glob, random, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BPFASM = os.environ.get("BPFASM") or os.path.join(ROOT, "target", "release", "bpfasm")


def generate(path, n=1_000_000):
    rnd = random.Random(42)
    forms = [
        "\tr{a} += r{b}\n", "\tw{a} ^= {i}\n", "\tr{a} = *(u64 *)(r10 - {o})\n", "\t*(u32 *)(r{a} + {o}) = w{b}\n",
        "\tif r{a} s> {i} goto .LBB{l}\n", "\tr{a} = {i}\n", "\tcall {h}\n", "\tr{a} = be32 r{a}\n",
        "\tlock *(u64 *)(r{a} + {o}) += r{b}\n", "\tif w{a} < w{b} goto .LBB{l}\n",
    ]
    with open(path, "w") as f:
        f.write("\t.text\n\t.globl\tbig\n\t.type\tbig,@function\nbig:\n")
        label = 0
        for k in range(n - 1):
            if k % 16 == 0:
                f.write(f".LBB{label}:\n")
                label += 1
            t = forms[k % len(forms)]
            f.write(t.format(a=rnd.randrange(10), b=rnd.randrange(10), i=rnd.randrange(-1000, 1000),
                             o=8 * rnd.randrange(1, 64), l=max(0, label - 1 - rnd.randrange(4)), h=rnd.randrange(1, 200)))
        f.write("\texit\n\t.size\tbig, .-big\n")


def measure(cmd, runs):
    best = None
    peak = 0
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        t0 = time.perf_counter()
        p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        dt = time.perf_counter() - t0
        if p.returncode != 0:
            sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr.decode()[:2000]}")
        best = dt if best is None else min(best, dt)
        # ru_maxrss of children is the max over all children so far; run the biggest first.
        peak = max(peak, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return best, peak


def peak_rss(cmd):
    # A fresh python per measurement gives each tool its own RUSAGE_CHILDREN maximum.
    code = ("import resource,subprocess,sys;subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL);"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code] + cmd, capture_output=True, text=True)
    return int(out.stdout.strip() or 0)


def main():
    args = sys.argv[1:]
    runs = 3
    if args[:1] == ["--runs"]:
        runs = int(args[1]); args = args[2:]
    if not os.path.exists(BPFASM):
        subprocess.run(["cargo", "build", "--release", "-q", "-p", "bpfasm"], cwd=ROOT, check=True)
    tmp = tempfile.mkdtemp(prefix="bpfasm-bench-")
    inputs = list(args)
    if not inputs:
        corpus = sorted(glob.glob(os.path.join(ROOT, "target", "corpus", "**", "*.s"), recursive=True),
                        key=os.path.getsize)
        if corpus:
            inputs.append(corpus[-1])
        else:
            print("note: no corpus under target/corpus (run ./test.sh once); benchmarking the generated file only")
    big = os.path.join(tmp, "million.s")
    generate(big)
    inputs.append(big)
    print(f"{'input':<28} {'lines':>9} {'bpfasm s':>9} {'llvm-mc s':>9} {'speedup':>8} {'bpfasm MiB':>10} {'llvm-mc MiB':>11} {'mem ratio':>9}")
    for src in inputs:
        lines = sum(1 for _ in open(src))
        ours = [BPFASM, src, "-o", os.path.join(tmp, "ours.o")]
        theirs = ["llvm-mc-19", "-triple", "bpfel", "-filetype=obj", src, "-o", os.path.join(tmp, "theirs.o")]
        t_ours, _ = measure(ours, runs)
        t_theirs, _ = measure(theirs, runs)
        m_ours, m_theirs = peak_rss(ours) / 1024, peak_rss(theirs) / 1024
        print(f"{os.path.basename(src):<28} {lines:>9} {t_ours:>9.3f} {t_theirs:>9.3f} {t_theirs / t_ours:>7.2f}x"
              f" {m_ours:>10.1f} {m_theirs:>11.1f} {m_ours / m_theirs:>9.2f}")


if __name__ == "__main__":
    main()
