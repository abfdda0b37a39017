#!/usr/bin/env python3
"""Acceptance 2: of the selftests objects the running kernel loads (kernel.tsv from
selftests_kernel.sh), how many does bpflint accept (every program)?"""
import json, subprocess, sys, os
root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
corpus = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "target/corpus/out")
out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, "target/bpflint-selftests")
exe = os.environ.get("BPFLINT", os.path.join(root, "target/release/bpflint"))
ok = [l.split("\t")[0] for l in open(f"{out}/kernel.tsv") if l.split("\t")[1] == "OK"]
acc, rej = [], []
for name in ok:
    p = subprocess.run([exe, "--message-format", "json", f"{corpus}/{name}.clang.o"], capture_output=True, text=True)
    lines = [json.loads(l) for l in p.stdout.splitlines() if l.strip()]
    bad = [d["data"] for d in lines if d.get("data", {}).get("verdict") == "REJECT"]
    (rej if bad or p.returncode != 0 else acc).append((name, bad))
print(f"kernel loads {len(ok)} objects; bpflint accepts {len(acc)}, rejects {len(rej)}")
if "-v" in sys.argv:
    for name, bad in rej:
        for b in bad[:1]:
            print(f"  {name}/{b['program']} ({b['prog_type']}): insn {b['insn']}: {b['kernel_message'].splitlines()[-1]}")
