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

The heavy case (--case heavy; both by default) has the shape of real tracing tools: N objects
compiled from C against the running kernel's `vmlinux.h` (`bpftool btf dump`, at bench time,
cached, never committed), each with 20 functions doing CO-RE reads of fields of 60 kernel
structs, a program calling them, a map and an extern call into its neighbour. Peak memory
(maximum resident set, by GNU time in runs of their own) is reported for both tools alongside
the times.

Usage: bench/link.py [--case small|heavy|both] [--objects N] [--runs N] [--check] [--baseline OLD_BPFLD]
Environment: BPFLD (default: `cargo build --release -p bpfld`, then $CARGO_TARGET_DIR or
target/, release/bpfld).
"""
import argparse, os, random, re, statistics, subprocess, sys, time, tempfile
from concurrent.futures import ThreadPoolExecutor

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


# Scalar member types a CO-RE read can add up (no bitfields, arrays, structs).
SCALARS = {"int", "unsigned int", "long int", "long unsigned int", "long long int", "long long unsigned int",
           "short int", "short unsigned int", "unsigned char", "char", "bool", "u8", "u16", "u32", "u64",
           "s32", "s64", "__u8", "__u16", "__u32", "__u64", "__s32", "__s64", "pid_t", "uid_t", "gid_t"}
# Structs tracing tools read, first; the rest of the 60 drawn (fixed seed) from vmlinux.h.
FAVOURITES = ["task_struct", "sk_buff", "sock", "net_device", "inode", "super_block", "cred",
              "signal_struct", "vm_area_struct", "page", "bio", "request", "tcp_sock", "sk_buff_head",
              "pid_namespace", "nsproxy", "cgroup", "file_system_type", "perf_event", "rq"]


def kernel_structs(vmlinux_h, n=60):
    """`n` structs of vmlinux.h with at least 3 scalar members: name -> member names."""
    txt = open(vmlinux_h).read()
    eligible = {}
    for m in re.finditer(r"^struct (\w+) \{\n(.*?)^\};", txt, re.S | re.M):
        fields = [f.group(2) for f in re.finditer(r"^\t([\w ]+?) (\w+);$", m.group(2), re.M)
                  if f.group(1) in SCALARS]
        if len(fields) >= 3:
            eligible[m.group(1)] = fields
    chosen = [s for s in FAVOURITES if s in eligible]
    rest = sorted(set(eligible) - set(chosen))
    chosen += random.Random(14).sample(rest, n - len(chosen))
    return [(s, eligible[s]) for s in chosen[:n]]


HEAVY = r"""
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
struct {{
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, u32);
	__type(value, long);
	__uint(max_entries, 64);
}} totals_{i} SEC(".maps");
{extern_prev}
{funcs}
SEC("raw_tp/sys_enter") int prog_{i}(void *ctx)
{{
	void *t = (void *)bpf_get_current_task();
	long s = 0;
	u32 k = 0;
{calls}
	long *v = bpf_map_lookup_elem(&totals_{i}, &k);
	if (v)
		*v += s;
	return s & 1;
}}
char LICENSE[] SEC("license") = "GPL";
"""


def heavy_source(i, structs):
    """Object `i`: 20 functions, function j reads a member each of 3 of the 60 structs (all
    60 per object, rotated by `i`); every fifth is global, the first calls its neighbour's."""
    funcs, calls = [], []
    for j in range(20):
        picks = [structs[(i * 7 + j * 3 + t) % len(structs)] for t in range(3)]
        params = ", ".join(f"struct {s} *p{t}" for t, (s, _) in enumerate(picks))
        reads = " + ".join(f"(long)BPF_CORE_READ(p{t}, {f[(i + j + t + r) % len(f)]})"
                           for t, (_, f) in enumerate(picks) for r in range(1))
        glob = j % 5 == 0
        name = f"g_{i}_{j}" if glob else f"f_{i}_{j}"
        extra = f" + g_{i - 1}_0((void *)p0, (void *)p1, (void *)p2)" if j == 0 and i > 0 else ""
        funcs.append(f"{'' if glob else 'static '}__noinline long {name}({params})\n{{\n\treturn {reads}{extra};\n}}")
        calls.append(f"\ts += {name}(t, t, t);")
    prev = ""
    if i > 0:
        picks = [structs[((i - 1) * 7 + t) % len(structs)] for t in range(3)]
        prev = f"extern long g_{i - 1}_0(" + ", ".join(f"struct {s} *p{t}" for t, (s, _) in enumerate(picks)) + ");"
    return HEAVY.format(i=i, extern_prev=prev, funcs="\n".join(funcs), calls="\n".join(calls))


def generate_heavy(n, d):
    """The heavy objects, against this kernel's BTF (the cache is per kernel build)."""
    os.makedirs(d, exist_ok=True)
    vmlinux_h = os.path.join(d, "vmlinux.h")
    if not os.path.exists(vmlinux_h):
        with open(vmlinux_h + ".tmp", "w") as f:
            subprocess.run(["bpftool", "btf", "dump", "file", "/sys/kernel/btf/vmlinux", "format", "c"],
                           stdout=f, check=True)
        os.rename(vmlinux_h + ".tmp", vmlinux_h)
    structs = kernel_structs(vmlinux_h)
    objs, todo = [], []
    for i in range(n):
        o = os.path.join(d, f"heavy{i:04}.o")
        objs.append(o)
        if not os.path.exists(o):
            c = os.path.join(d, f"heavy{i:04}.c")
            with open(c, "w") as f:
                f.write(heavy_source(i, structs))
            todo.append((c, o))

    def cc(co):
        c, o = co
        subprocess.run(["clang-19", "-O2", "-g", "-target", "bpf", "-mcpu=v3", "-c", c, "-o", o + ".tmp"],
                       check=True)
        os.rename(o + ".tmp", o)
    with ThreadPoolExecutor(max(1, (os.cpu_count() or 1))) as ex:
        list(ex.map(cc, todo))
    return objs


def run_timed(cmd):
    """Run `cmd`; its wall-clock seconds."""
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"{cmd[0]} failed: {p.stderr.decode()[-2000:]}")
    return dt


def run_peak(cmd, tmp):
    """Run `cmd` under GNU time; its peak RSS in KiB. Not from this process's wait4: a child's
    maximum RSS counts the memory of the process it was forked from (Python's ~16 MiB) until it
    execs, so small peaks would all read the same. Time's own footprint is ~2 MiB."""
    out = os.path.join(tmp, "peak")
    p = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", out, *cmd], stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE)
    if p.returncode != 0:
        sys.exit(f"{cmd[0]} failed: {p.stderr.decode()[-2000:]}")
    return int(open(out).read().split()[-1])


def times(cmds, runs, tmp):
    """Run each command `runs` times for time and `runs` times under GNU time for peak memory,
    interleaved (so load from other users hits both alike): per command (median s, best s,
    median peak RSS KiB)."""
    t = [[] for _ in cmds]
    m = [[] for _ in cmds]
    for _ in range(runs):
        for i, cmd in enumerate(cmds):
            t[i].append(run_timed(cmd))
            m[i].append(run_peak(cmd, tmp))
    return [(statistics.median(a), min(a), statistics.median(b)) for a, b in zip(t, m)]


def check_identical(new, old, objs, tmp, pairs=True):
    """`new` and `old` bpfld give the same bytes for the generated objects and the pairs."""
    corpus = os.path.join(ROOT, "target", "corpus", "out")
    cases = [("generated", objs)]
    for pair in ["funcs", "vars", "maps"] if pairs else []:
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


def bench(name, objs, bpfld, runs, check, tmp, gen):
    ours = os.path.join(tmp, f"{name}-bpfld.o")
    ref = os.path.join(tmp, f"{name}-libbpf.o")
    (t_ours, b_ours, m_ours), (t_ref, b_ref, m_ref) = times(
        [[bpfld, *objs, "-o", ours], ["bpftool", "gen", "object", ref, *objs]], runs, tmp)
    if check:
        again = os.path.join(tmp, "again.o")
        subprocess.run([bpfld, ours, "-o", again], check=True)
        assert open(ours, "rb").read() == open(again, "rb").read(), "relinking changed the output"
    print(f"{name}: link {len(objs)} objects ({sum(os.path.getsize(o) for o in objs) // 1024} KiB in, "
          f"generation {gen:.1f}s, median of {runs} interleaved runs)")
    print(f"  bpfld               {t_ours * 1000:8.1f} ms (best {b_ours * 1000:.1f})   peak {m_ours / 1024:6.1f} MiB"
          f"   output {os.path.getsize(ours) // 1024} KiB")
    print(f"  bpftool gen object  {t_ref * 1000:8.1f} ms (best {b_ref * 1000:.1f})   peak {m_ref / 1024:6.1f} MiB"
          f"   output {os.path.getsize(ref) // 1024} KiB")
    print(f"  ratio of medians (bpftool / bpfld): time {t_ref / t_ours:.2f}x, peak memory {m_ref / m_ours:.2f}x")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--case", choices=["small", "heavy", "both"], default="both")
    ap.add_argument("--objects", type=int, default=200)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--baseline", help="another bpfld whose outputs must be byte-identical")
    a = ap.parse_args()
    bpfld = bpfld_path()
    with tempfile.TemporaryDirectory() as tmp:
        if a.case in ("small", "both"):
            t0 = time.perf_counter()
            objs = generate(a.objects, os.path.join(ROOT, "target", "bench-link", str(a.objects)))
            bench("small", objs, bpfld, a.runs, a.check, tmp, time.perf_counter() - t0)
            if a.baseline:
                check_identical(bpfld, a.baseline, objs, tmp)
        if a.case in ("heavy", "both"):
            t0 = time.perf_counter()
            kernel = os.uname().release
            heavy = generate_heavy(a.objects, os.path.join(ROOT, "target", "bench-link", f"heavy-{kernel}-{a.objects}"))
            bench("heavy", heavy, bpfld, a.runs, a.check, tmp, time.perf_counter() - t0)
            if a.baseline:
                check_identical(bpfld, a.baseline, heavy, tmp, pairs=False)


if __name__ == "__main__":
    main()
