#!/usr/bin/env python3
"""Benchmark: how fast bpf-lsp answers a diagnostics refresh on a 10,000-line file.

Opens a generated 10,000-line document, then sends N incremental edits and measures the time
from each didChange to its publishDiagnostics. Aim: under 100 ms. (No reference tool exists for
BPF assembly; the number is compared with the aim.) Usage: bench/lsp.py [--edits N]
"""
import json, os, subprocess, sys, time

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


def main():
    edits = 20
    if sys.argv[1:2] == ["--edits"]:
        edits = int(sys.argv[2])
    if not os.path.exists(LSP):
        subprocess.run(["cargo", "build", "--release", "-q", "-p", "bpf-lsp"], cwd=ROOT, check=True)
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
