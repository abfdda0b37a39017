#!/usr/bin/env python3
"""Benchmark bpfld against `bpftool gen object` (libbpf's linker) in one run.

Generates N (default 200) BPF objects with clang-19 (cached under target/bench-link/): each has
a global function calling its neighbour's through an extern, a static subprogram, a weak and a
strong global variable, a map (the first object defines it, the others declare it extern), a
read-only table and an XDP program, all with BTF and .BTF.ext. Links them all with both tools,
best of --runs, and prints the times and the ratio. Both outputs must load-check structurally:
the script verifies each tool exits 0 and, with --check, that bpfld's output links again to the
same bytes.

Usage: bench/link.py [--objects N] [--runs N] [--check]
Environment: BPFLD (default: $CARGO_TARGET_DIR or target/, release/bpfld).
"""
import argparse, os, subprocess, sys, time, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def bpfld_path():
    if os.environ.get("BPFLD"):
        return os.environ["BPFLD"]
    for base in [os.environ.get("CARGO_TARGET_DIR"), os.path.join(ROOT, "target")]:
        if base and os.path.isfile(os.path.join(base, "release", "bpfld")):
            return os.path.join(base, "release", "bpfld")
    sys.exit("bpfld not built: cargo build --release -p bpfld (or set BPFLD)")


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


def best_time(cmd, runs):
    best = None
    for _ in range(runs):
        t0 = time.perf_counter()
        p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        dt = time.perf_counter() - t0
        if p.returncode != 0:
            sys.exit(f"{cmd[0]} failed: {p.stderr.decode()[-2000:]}")
        best = dt if best is None else min(best, dt)
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--objects", type=int, default=200)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args()
    cache = os.path.join(ROOT, "target", "bench-link", str(a.objects))
    t0 = time.perf_counter()
    objs = generate(a.objects, cache)
    gen = time.perf_counter() - t0
    bpfld = bpfld_path()
    with tempfile.TemporaryDirectory() as tmp:
        ours = os.path.join(tmp, "bpfld.o")
        ref = os.path.join(tmp, "libbpf.o")
        t_ours = best_time([bpfld, *objs, "-o", ours], a.runs)
        t_ref = best_time(["bpftool", "gen", "object", ref, *objs], a.runs)
        if a.check:
            again = os.path.join(tmp, "again.o")
            subprocess.run([bpfld, ours, "-o", again], check=True)
            assert open(ours, "rb").read() == open(again, "rb").read(), "relinking changed the output"
        print(f"link {a.objects} objects ({sum(os.path.getsize(o) for o in objs) // 1024} KiB in, "
              f"generation {gen:.1f}s, best of {a.runs})")
        print(f"  bpfld               {t_ours * 1000:8.1f} ms   output {os.path.getsize(ours) // 1024} KiB")
        print(f"  bpftool gen object  {t_ref * 1000:8.1f} ms   output {os.path.getsize(ref) // 1024} KiB")
        print(f"  ratio (bpftool / bpfld): {t_ref / t_ours:.2f}x")


if __name__ == "__main__":
    main()
