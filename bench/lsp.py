#!/usr/bin/env python3
"""Benchmark: how fast bpf-lsp answers a diagnostics refresh.

Assembly: opens a generated 10,000-line document, then sends N incremental edits and measures
the time from each didChange to its publishDiagnostics. Aim: under 100 ms. (No reference tool
exists for BPF assembly; the number is compared with the aim.)

C: opens a generated 300-line XDP program (`.bpf.c`, with the running kernel's vmlinux.h made by
bpftool), sends N edits and measures didChange -> publishDiagnostics (the median), with the
shares of clang and of bpflint (the server reports both with each publish). The debounce is set
to 0 here (`--debounce MS` to change it): the editor's own wait is added on top.

Usage: bench/lsp.py [--edits N] [--debounce MS] [--only asm|c]
"""
import json, os, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LSP = os.path.join(ROOT, "target", "release", "bpf-lsp")


def frame(obj):
    body = json.dumps(obj).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def read(p):
    length = 0
    while True:
        line = p.stdout.readline()
        if not line:
            raise SystemExit("server closed")
        line = line.strip()
        if not line:
            break
        if line.startswith(b"Content-Length:"):
            length = int(line.split(b":")[1])
    return json.loads(p.stdout.read(length))


def opt(name, default):
    if name in sys.argv:
        return sys.argv[sys.argv.index(name) + 1]
    return default


def main():
    edits = int(opt("--edits", 20))
    only = opt("--only", None)
    if not os.path.exists(LSP):
        subprocess.run(["cargo", "build", "--release", "-q", "-p", "bpf-lsp"], cwd=ROOT, check=True)
    if only in (None, "asm"):
        bench_asm(edits)
    if only in (None, "c"):
        bench_c(edits, int(opt("--debounce", 0)))


def c_program(k):
    """A 300-line XDP program: packet bytes read after their bounds checks, summed."""
    lines = ['#include "vmlinux.h"', "#include <bpf/bpf_helpers.h>", "", 'SEC("xdp")',
             "int big(struct xdp_md *ctx)", "{",
             "\tvoid *data = (void *)(long)ctx->data;",
             "\tvoid *data_end = (void *)(long)ctx->data_end;",
             "\t__u64 sum = %d;" % k]
    i = 0
    while len(lines) < 293:
        lines.append("\tif (data + %d > data_end)" % (i + 1))
        lines.append("\t\treturn XDP_PASS;")
        lines.append("\tsum += *(__u8 *)(data + %d);" % i)
        i += 1
    lines += ["\treturn sum & 1 ? XDP_PASS : XDP_DROP;", "}", "", 'char LICENSE[] SEC("license") = "GPL";']
    while len(lines) < 300:
        lines.append("")
    return "\n".join(lines) + "\n"


def bench_c(edits, debounce):
    tmp = tempfile.mkdtemp(prefix="bench-lsp-c-")
    with open(os.path.join(tmp, "vmlinux.h"), "wb") as f:
        subprocess.run(["bpftool", "btf", "dump", "file", "/sys/kernel/btf/vmlinux", "format", "c"],
                       stdout=f, check=True)
    path = os.path.join(tmp, "big.bpf.c")
    text = c_program(0)
    assert text.count("\n") == 300
    with open(path, "w") as f:
        f.write(text)
    uri = "file://" + path
    p = subprocess.Popen([LSP], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    p.stdin.write(frame({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "capabilities": {}, "initializationOptions": {"debounceMs": debounce}}}))
    p.stdin.flush()
    read(p)
    p.stdin.write(frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
    p.stdin.write(frame({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": {"uri": uri, "languageId": "c", "version": 1, "text": text}}}))
    p.stdin.flush()

    def publish(version):
        while True:
            m = read(p)
            if m.get("method") == "textDocument/publishDiagnostics" and m["params"].get("version") == version:
                return m["params"]

    first = publish(1)
    if first["diagnostics"]:
        raise SystemExit("the C bench program is not clean: %s" % first["diagnostics"][0]["message"])
    times, clang, lint = [], [], []
    for k in range(edits):
        # `sum = K;` on line 9: a change of the text, the same program shape
        change = {"range": {"start": {"line": 8, "character": 0}, "end": {"line": 9, "character": 0}},
                  "text": "\t__u64 sum = %d;\n" % (k + 1)}
        t0 = time.perf_counter()
        p.stdin.write(frame({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": k + 2}, "contentChanges": [change]}}))
        p.stdin.flush()
        params = publish(k + 2)
        times.append((time.perf_counter() - t0) * 1000)
        clang.append(params["bpfLspTimings"]["clangMs"])
        lint.append(params["bpfLspTimings"]["bpflintMs"])
    p.stdin.write(frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": None}))
    p.stdin.write(frame({"jsonrpc": "2.0", "method": "exit", "params": None}))
    p.stdin.flush()
    p.wait(timeout=10)
    med, mc, ml = statistics.median(times), statistics.median(clang), statistics.median(lint)
    print(f"bpf-lsp C diagnostics refresh on a 300-line XDP program: median {med:.0f} ms over {edits} edits "
          f"(debounce {debounce} ms): clang {mc:.0f} ms ({100 * mc / med:.0f}%), bpflint {ml:.1f} ms "
          f"({100 * ml / med:.1f}%), rest {med - mc - ml:.0f} ms")


def bench_asm(edits):
    lines = ["\t.text", "\t.globl\tbig", "\t.type\tbig,@function", "big:"]
    for i in range(10_000 - 6):
        lines.append(f".LBB{i}:" if i % 16 == 0 else ("\tif r1 > 5 goto .LBB%d" % (i // 16) if i % 16 == 7 else "\tr1 += %d" % (i % 100)))
    lines += ["\tr0 = 0", "\texit"]
    text = "\n".join(lines) + "\n"
    p = subprocess.Popen([LSP], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    uri = "file:///tmp/bench-10k.s"
    p.stdin.write(frame({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}))
    p.stdin.flush()
    read(p)
    p.stdin.write(frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
    p.stdin.write(frame({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": {"uri": uri, "languageId": "bpf", "version": 1, "text": text}}}))
    p.stdin.flush()
    while read(p).get("method") != "textDocument/publishDiagnostics":
        pass
    times = []
    for k in range(edits):
        change = {"range": {"start": {"line": 5000, "character": 7}, "end": {"line": 5000, "character": 8}},
                  "text": str(k % 10)}
        t0 = time.perf_counter()
        p.stdin.write(frame({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": k + 2}, "contentChanges": [change]}}))
        p.stdin.flush()
        while read(p).get("method") != "textDocument/publishDiagnostics":
            pass
        times.append(time.perf_counter() - t0)
    p.stdin.write(frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": None}))
    p.stdin.write(frame({"jsonrpc": "2.0", "method": "exit", "params": None}))
    p.stdin.flush()
    p.wait(timeout=10)
    times.sort()
    med = times[len(times) // 2] * 1000
    worst = times[-1] * 1000
    print(f"bpf-lsp diagnostics refresh on 10,000 lines: median {med:.1f} ms, worst {worst:.1f} ms over {edits} edits "
          f"(aim < 100 ms: {'met' if worst < 100 else 'NOT met'})")


if __name__ == "__main__":
    main()
