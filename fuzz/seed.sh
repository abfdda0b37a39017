#!/bin/sh
# Build the seed corpora in fuzz/corpus/<target>/ from files already on this machine:
# the repository's .s files and objects, .text of those objects, small BTF blobs cut out of
# /sys/kernel/btf/vmlinux, and .BTF of the test C files compiled by clang-19 (when present).
# Nothing here is committed; rerunning is cheap and idempotent.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
c="$here/corpus"
mkdir -p "$c/asm_text" "$c/asm_roundtrip" "$c/disasm" "$c/insn_decode" "$c/btf" "$c/bpfld_link" "$c/bpflint_raw" "$c/bpflint_object"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Assembly text: examples, CLI golden inputs, workspace test inputs.
for f in $(find "$root/examples" "$root/tests" -name '*.s' -size -64k 2>/dev/null); do
    n=$(echo "$f" | sed "s|$root/||; s|/|_|g")
    cp "$f" "$c/asm_text/$n"
    cp "$f" "$c/disasm/$n"
    cp "$f" "$c/bpfld_link/$n"
done

# Objects (disasm) and their code bytes, prefixed with the byte-order selector (insn_decode).
for f in $(find "$root/examples" "$root/tests" -name '*.o' -size -256k 2>/dev/null); do
    n=$(echo "$f" | sed "s|$root/||; s|/|_|g")
    cp "$f" "$c/disasm/$n"
    cp "$f" "$c/bpfld_link/$n"
    if command -v llvm-objcopy-19 >/dev/null; then
        for s in $(llvm-objdump-19 -h "$f" 2>/dev/null | awk '$5 ~ /TEXT/ || $NF ~ /TEXT/ {print $2}'); do
            if llvm-objcopy-19 --dump-section "$s=$tmp/code" "$f" "$tmp/o" 2>/dev/null; then
                { printf '\000'; head -c 1024 "$tmp/code"; } > "$c/insn_decode/$n.$(echo "$s" | tr '/' '_')"
            fi
        done
    fi
done

# asm_roundtrip: one seed per table row (the first byte selects the row).
i=0
while [ $i -lt 256 ]; do
    printf "$(printf '\\%03o' $i)\001\002\010\000\001\000\000\000" > "$c/asm_roundtrip/row$i"
    i=$((i + 1))
done

# BTF: windows of vmlinux types, re-based to id 1 with their own string section.
if [ -r /sys/kernel/btf/vmlinux ]; then
    python3 "$here/btf_slices.py" /sys/kernel/btf/vmlinux "$c/btf"
fi
# BTF: .BTF of the btf crate's test C files, little and big endian.
if command -v clang-19 >/dev/null && command -v llvm-objcopy-19 >/dev/null; then
    for src in "$root"/btf/tests/data/*.c; do
        for t in bpfel bpfeb; do
            b=$(basename "$src" .c)
            if clang-19 -g -O2 -target $t -c "$src" -o "$tmp/$b.o" 2>/dev/null; then
                llvm-objcopy-19 --dump-section .BTF="$c/btf/$b.$t.btf" "$tmp/$b.o" "$tmp/x" 2>/dev/null || true
                llvm-objcopy-19 --dump-section .BTF.ext="$c/btf/$b.$t.btf.ext" "$tmp/$b.o" "$tmp/x" 2>/dev/null || true
            fi
        done
    done
fi
# bpfld_link: small selftests objects (the workspace corpus, when built).
for f in $(find "$root/target/corpus/out" -name '*.clang.o' -size -16k 2>/dev/null | head -100); do
    cp "$f" "$c/bpfld_link/$(basename "$f")"
done
# bpfobj_read: the same small objects.
mkdir -p "$c/bpfobj_read"
cp "$c"/bpfld_link/*.o "$c/bpfobj_read/" 2>/dev/null || true
# bpfld_archive: small objects two and three to a library, GNU and BSD, with and without
# an index (plus one library of the clang-compiled bpfld CLI inputs when they are around).
mkdir -p "$c/bpfld_archive"
if command -v clang-19 >/dev/null; then
    mkdir -p "$tmp/arc"
    printf 'extern int f1(int);\nint __attribute__((section("xdp"))) p(void *c) { return f1(1); }\n' > "$tmp/arc/m.c"
    printf 'extern int f2(int);\n__attribute__((noinline)) int f1(int x) { return f2(x) + 1; }\n' > "$tmp/arc/a.c"
    printf '__attribute__((noinline)) int f2(int x) { return x * 2; }\nint v2;\n' > "$tmp/arc/b.c"
    printf '__attribute__((noinline)) __attribute__((weak)) int f1(int x) { return 0; }\n' > "$tmp/arc/w.c"
    for f in m a b w; do
        clang-19 -O2 -g -target bpf -c "$tmp/arc/$f.c" -o "$tmp/arc/$f.o" 2>/dev/null || true
    done
fi
objs=$(ls "$tmp"/arc/*.o 2>/dev/null; find "$root/examples" "$root/tests" "$root/fuzz/regressions/bpfld_link" -name '*.o' -size -8k 2>/dev/null | head -24)
set -- $objs
n=0
while [ $# -ge 2 ]; do
    for fmt in "ar rcs" "ar rcS" "llvm-ar-19 --format=bsd rcs" "llvm-ar-19 --format=bsd rcS"; do
        tool=${fmt%% *}
        command -v "$tool" >/dev/null || continue
        rm -f "$tmp/lib.a"
        # shellcheck disable=SC2086
        (cd "$tmp" && cp "$1" a.o && cp "$2" b.o && ${fmt} lib.a a.o b.o 2>/dev/null) || continue
        cp "$tmp/lib.a" "$c/bpfld_archive/lib$n.a"
        n=$((n + 1))
    done
    shift 2
done
# Every target: structured deep-nesting inputs (expressions, C declarations, BTF chains, call
# chains), for recursion on input-controlled depth.
python3 "$here/deep_seeds.py" "$c"
for t in asm_text asm_roundtrip disasm insn_decode btf bpfld_link bpfld_archive bpfobj_read bpflint_raw bpflint_object; do
    echo "$t: $(ls "$c/$t" | wc -l) seeds"
done
