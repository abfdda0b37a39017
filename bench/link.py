#!/usr/bin/env python3
"""Benchmark bpfld against `bpftool gen object` (libbpf's linker) in one run.

Generates N (default 200) BPF objects with clang-19 (cached under target/bench-link/): each has
a global function calling its neighbour's through an extern, a static subprogram, a weak and a
strong global variable, a map (the first object defines it, the others declare it extern), a
read-only table and an XDP program, all with BTF and .BTF.ext. Links them all with both tools,
runs interleaved, and prints the median (and best) times and the ratio of the medians. The
script verifies each tool exits 0 and, with --check, that bpfld's output links again to the
same bytes. With --baseline OLD_BPFLD it also checks that this bpfld's outputs are
byte-identical to OLD_BPFLD's for the generated objects and for the kernel selftests pairs
linked_{funcs,vars,maps}1+2 in both orders (from the corpus in target/corpus, when built):
run it after a change that must not change outputs.

Usage: bench/link.py [--objects N] [--runs N] [--check] [--baseline OLD_BPFLD]
Environment: BPFLD (default: `cargo build --release -p bpfld`, then $CARGO_TARGET_DIR or
target/, release/bpfld).
"""
import argparse, os, statistics, subprocess, sys, time, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def bpfld_path():
    """$BPFLD, else the release build, built or brought up to date first."""
    if os.environ.get("BPFLD"):
        return os.environ["BPFLD"]
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "bpfld"], cwd=ROOT, check=True)
    base = os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target")
    return os.path.join(base, "release", "bpfld")


SRC = r"""
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct entry {{ long packets; long bytes; int ifindex; }};
{map_decl} struct {{
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, int);
	__type(value, struct entry);
	__uint(max_entries, 1024);
}} stats SEC(".maps");
__weak int threshold = {i} + 1;
int counter_{i};
const volatile int table_{i}[4] = {{ {i}, 1, 2, 3 }};
{extern_prev}
static __noinline int mix_{i}(int x) {{ return x * {k} + table_{i}[x & 3]; }}
__noinline int step_{i}(int x) {{ counter_{i}++; return mix_{i}(x) {call_prev}; }}
SEC("xdp") int prog_{i}(struct xdp_md *ctx)
{{
	int key = ctx->ingress_ifindex;
	struct entry *e = bpf_map_lookup_elem(&stats, &key);
	if (e) {{ e->packets++; e->bytes += ctx->data_end - ctx->data; }}
	return step_{i}(key) > threshold ? XDP_PASS : XDP_DROP;
}}
char LICENSE[] SEC("license") = "GPL";
"""


def generate(n, d):
    os.makedirs(d, exist_ok=True)
    objs = []
    for i in range(n):
        o = os.path.join(d, f"obj{i:04}.o")
        objs.append(o)
        if os.path.exists(o):
            continue
        src = SRC.format(
            i=i, k=(i % 7) + 2,
            map_decl="" if i == 0 else "extern",
            extern_prev="" if i == 0 else f"extern int step_{i-1}(int x);",
            call_prev="" if i == 0 else f"+ step_{i-1}(x >> 1)",
        )
        c = os.path.join(d, f"obj{i:04}.c")
        with open(c, "w") as f:
            f.write(src)
        subprocess.run(["clang-19", "-O2", "-g", "-target", "bpf", "-mcpu=v3", "-idirafter",
                        "/usr/include/x86_64-linux-gnu", "-c", c, "-o", o], check=True)
    return objs


def times(cmds, runs):
    """Run each command `runs` times, interleaved (so load from other users hits both alike)."""
    out = [[] for _ in cmds]
    for _ in range(runs):
        for i, cmd in enumerate(cmds):
            t0 = time.perf_counter()
            p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            out[i].append(time.perf_counter() - t0)
            if p.returncode != 0:
                sys.exit(f"{cmd[0]} failed: {p.stderr.decode()[-2000:]}")
    return [(statistics.median(t), min(t)) for t in out]


def check_identical(new, old, objs, tmp):
    """`new` and `old` bpfld give the same bytes for the generated objects and the pairs."""
    corpus = os.path.join(ROOT, "target", "corpus", "out")
    cases = [("generated", objs)]
    for pair in ["funcs", "vars", "maps"]:
        a, b = (os.path.join(corpus, f"linked_{pair}{n}.clang.o") for n in (1, 2))
        if os.path.isfile(a) and os.path.isfile(b):
            cases += [(f"linked_{pair} 1+2", [a, b]), (f"linked_{pair} 2+1", [b, a])]
        else:
            print(f"  (no {a}: selftests pairs not compared; ./test.sh builds the corpus)")
    for name, inputs in cases:
        outs = []
        for tool, tag in [(new, "new"), (old, "old")]:
            o = os.path.join(tmp, f"ident-{tag}.o")
            subprocess.run([tool, *inputs, "-o", o], check=True)
            outs.append(open(o, "rb").read())
        assert outs[0] == outs[1], f"{name}: output differs from the baseline's"
    print(f"  outputs identical to the baseline for {len(cases)} links")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--objects", type=int, default=200)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--baseline", help="another bpfld whose outputs must be byte-identical")
    a = ap.parse_args()
    cache = os.path.join(ROOT, "target", "bench-link", str(a.objects))
    t0 = time.perf_counter()
    objs = generate(a.objects, cache)
    gen = time.perf_counter() - t0
    bpfld = bpfld_path()
    with tempfile.TemporaryDirectory() as tmp:
        ours = os.path.join(tmp, "bpfld.o")
        ref = os.path.join(tmp, "libbpf.o")
        (t_ours, b_ours), (t_ref, b_ref) = times([[bpfld, *objs, "-o", ours], ["bpftool", "gen", "object", ref, *objs]], a.runs)
        if a.check:
            again = os.path.join(tmp, "again.o")
            subprocess.run([bpfld, ours, "-o", again], check=True)
            assert open(ours, "rb").read() == open(again, "rb").read(), "relinking changed the output"
        if a.baseline:
            check_identical(bpfld, a.baseline, objs, tmp)
        print(f"link {a.objects} objects ({sum(os.path.getsize(o) for o in objs) // 1024} KiB in, "
              f"generation {gen:.1f}s, median of {a.runs} interleaved runs)")
        print(f"  bpfld               {t_ours * 1000:8.1f} ms (best {b_ours * 1000:.1f})   output {os.path.getsize(ours) // 1024} KiB")
        print(f"  bpftool gen object  {t_ref * 1000:8.1f} ms (best {b_ref * 1000:.1f})   output {os.path.getsize(ref) // 1024} KiB")
        print(f"  ratio of medians (bpftool / bpfld): {t_ref / t_ours:.2f}x")


if __name__ == "__main__":
    main()
