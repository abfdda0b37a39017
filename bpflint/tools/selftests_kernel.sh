#!/bin/sh
# Acceptance 2 ground truth: which selftests objects (clang-19 corpus built by the workspace
# test crate) the running kernel loads, all programs at once, via `bpftool prog loadall`.
# Output: <out>/kernel.tsv with "name<TAB>OK|FAIL<TAB>first error line". Needs root.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
corpus=${1:-$root/target/corpus/out}
out=${2:-$root/target/bpflint-selftests}
mkdir -p "$out"
pin=/sys/fs/bpf/bpflint_selftests_$$
: > "$out/kernel.tsv"
for f in "$corpus"/*.clang.o; do
	name=$(basename "$f" .clang.o)
	rm -rf "$pin"
	if timeout 60 bpftool prog loadall "$f" "$pin" > "$out/$name.kernel.log" 2>&1; then
		printf '%s\tOK\t\n' "$name" >> "$out/kernel.tsv"
	else
		msg=$(grep -v '^libbpf: ' "$out/$name.kernel.log" | grep -v '^$' | tail -1 | tr '\t' ' ')
		printf '%s\tFAIL\t%s\n' "$name" "$msg" >> "$out/kernel.tsv"
	fi
	rm -rf "$pin"
done
