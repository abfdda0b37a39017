#!/bin/sh
# Compares bpflint with the running kernel on real libbpf tools (e.g. bcc's libbpf-tools).
#
# Usage (as root, from the repository root, after `cargo build --release -p bpflint`):
#   bpflint/tools/real_tools.sh DIR
# DIR holds fetched tool sources (*.bpf.c and the headers they include); nothing third-party is
# in this repository and this script downloads nothing. Objects, logs and the table go to
# DIR/out. Each X.bpf.c is compiled as libbpf-tools' Makefile does; every program is then loaded
# on its own by real_tools_load.c (maps of max_entries 0 sized as a tool would) and judged by
# bpflint. Refused loads (EPERM for fentry/lsm, missing attach targets) are not compared.
# Programs in sections libbpf no longer classifies by prefix (llcstat's `perf_event/1`) get the
# prefix's type, as the tool's user space sets it: the loader sets it, bpflint gets --prog-type.
# REAL_TOOLS_FLAGS=1 sets every one-byte const volatile option (bool flags) to 1: the kernel's
# load patches the rodata through libbpf and bpflint gets a copy of the object patched the same.
# REAL_TOOLS_FLAGS=all sets every 2-, 4- and 8-byte scalar option (pids, thresholds) to 1 too.
# Sources fetched file by file from an index may mix versions (a tool newer than its header or
# core_fixes.bpf.h); such files fail to compile and are listed in DIR/out/compile-failed.txt.
# Environment: CLANG (clang-19), GEN (dir of vmlinux.h), LIBBPF_INC (libbpf headers), BPFLINT.
set -eu
DIR=${1:?usage: real_tools.sh DIR}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CLANG=${CLANG:-clang-19}
GEN=${GEN:-$ROOT/target/bpflint-modern/gen}
LIBBPF_INC=${LIBBPF_INC:-$ROOT/target/bpflint-modern/libbpf/include}
BPFLINT=${BPFLINT:-$ROOT/target/release/bpflint}
OUT=$DIR/out
mkdir -p "$OUT"
gcc -O1 -Wall -o "$OUT/real_tools_load" "$ROOT/bpflint/tools/real_tools_load.c" -lbpf -lelf
: >"$OUT/kernel.tsv"
: >"$OUT/bpflint.tsv"
: >"$OUT/compile-failed.txt"
for src in "$DIR"/*.bpf.c; do
	name=$(basename "$src" .bpf.c)
	obj=$OUT/$name.bpf.o
	if ! "$CLANG" -g -O2 -target bpf -D__TARGET_ARCH_x86 -D__x86_64__ -I"$DIR" -I"$GEN" \
		-I"$LIBBPF_INC" -idirafter /usr/include/x86_64-linux-gnu -c "$src" -o "$obj" \
		2>"$OUT/$name.cc.log"; then
		echo "$name" >>"$OUT/compile-failed.txt"
		continue
	fi
	"$OUT/real_tools_load" "$obj" >>"$OUT/kernel.tsv" 2>/dev/null || true
	lintobj=$obj
	if [ -n "${REAL_TOOLS_FLAGS:-}" ]; then
		lintobj=$OUT/$name.flags.o
		"$OUT/real_tools_load" --flags "$obj" "$lintobj"
	fi
	# programs in sections libbpf no longer classifies (perf_event/1): the tool sets the type
	set --
	for pt in $("$OUT/real_tools_load" --prefix-types "$obj" 2>/dev/null); do
		set -- "$@" --prog-type "$pt"
	done
	"$BPFLINT" --message-format=json "$@" "$lintobj" 2>/dev/null | python3 -c '
import json, sys
for line in sys.stdin:
    try:
        d = json.loads(line)
    except ValueError:
        continue
    data = d.get("data") or {}
    if "verdict" in data:
        print("%s\t%s\t%s\t%s" % (sys.argv[1], data.get("program"), data["verdict"], d.get("message", "").replace("\t", " ")))
' "$obj" >>"$OUT/bpflint.tsv" || true
done
python3 - "$OUT" <<'PY'
import sys
out = sys.argv[1]
kern, lint = {}, {}
for l in open(out + "/kernel.tsv"):
    f = l.rstrip("\n").split("\t")
    kern[(f[0], f[1])] = (f[2], f[4] if len(f) > 4 else "")
for l in open(out + "/bpflint.tsv"):
    f = l.rstrip("\n").split("\t")
    lint[(f[0], f[1])] = (f[2], f[3])
failed = sum(1 for _ in open(out + "/compile-failed.txt"))
cmp = agree = refused = missing = rejects = same_reason = 0
fa, fr = [], []
for key, (kv, why) in sorted(kern.items()):
    if kv == "refused":
        refused += 1
        continue
    if key not in lint:
        missing += 1
        print("NO-VERDICT %s:%s kernel=%s" % (key[0], key[1], kv))
        continue
    lv, msg = lint[key]
    cmp += 1
    if (kv == "ok") == (lv == "ACCEPT"):
        agree += 1
        if kv == "reject":
            # both reject: does bpflint name the kernel's error line?
            rejects += 1
            if why.strip() and why.strip() in msg:
                same_reason += 1
            else:
                print("OTHER-REASON %s:%s kernel: %s | bpflint: %s" % (key[0], key[1], why, msg))
    elif lv == "ACCEPT":
        fa.append((key, why))
    else:
        fr.append((key, msg))
for (o, p), why in fa:
    print("FALSE-ACCEPT %s:%s kernel: %s" % (o, p, why))
for (o, p), msg in fr:
    print("FALSE-REJECT %s:%s bpflint: %s" % (o, p, msg))
print("compile failures: %d; programs: %d; refused: %d; no bpflint verdict: %d" % (failed, len(kern), refused, missing))
pct = 100.0 * agree / cmp if cmp else 0.0
print("compared %d, agree %d (%.2f%%), false accepts %d, false rejects %d" % (cmp, agree, pct, len(fa), len(fr)))
print("both reject: %d, bpflint gives the kernel's error line: %d" % (rejects, same_reason))
PY
