#!/bin/sh
# A stand-in for bpfasm built from LLVM tools, to test the corpus harness itself:
#   BPFASM=tests/scripts/fake-bpfasm.sh cargo test -p toolchain-tests --test corpus
# `fake-bpfasm.sh IN.s -o OUT.o` assembles with llvm-mc-19 after rewriting the zero-extending
# move `rA = wB` (which llvm-mc-19 rejects) to `wA = wB` (same encoding).
# `fake-bpfasm.sh -d OBJ.o` prints each code section as `.byte` lines (not real disassembly).
set -eu
if [ "$1" = "-d" ]; then
    obj=$2
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    llvm-readelf-19 -S -W "$obj" | sed -n 's/^ *\[ *[0-9]*\] \([^ ]*\) *PROGBITS .* \([A-Z]*X[A-Z]*\) .*/\1/p' |
    while read -r name; do
        llvm-objcopy-19 --dump-section "$name=$tmp/sec" "$obj" "$tmp/copy.o"
        printf '\t.section "%s","ax",@progbits\n' "$name"
        od -An -v -tx1 "$tmp/sec" | sed -e 's/^ *//' -e 's/ *$//' -e '/^$/d' -e 's/ /, 0x/g' -e 's/^/\t.byte 0x/'
    done
    exit 0
fi
in=$1; shift
[ "$1" = "-o" ] || { echo "usage: $0 IN.s -o OUT.o | -d OBJ.o" >&2; exit 2; }
out=$2
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
sed -E 's/^([[:space:]]*)r([0-9]+) = w([0-9]+)[[:space:]]*$/\1w\2 = w\3/' "$in" > "$tmp"
cd "$(dirname "$in")"
exec llvm-mc-19 -triple bpfel -filetype=obj "$tmp" -o "$out"
