#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
#
# Generates the "modern verifier" corpus for `bpflint-modern` (bpflint/src/bin/modern.rs):
# the linux 6.12 BPF selftests programs compiled by clang-19, and the running kernel's verdict on
# each of their programs. Nothing derived from the (GPL) kernel sources is committed: all of it
# is built here, from the installed linux-source-6.12 package, into the cache directory.
#
# Usage: modern_gen.sh DIR [--force]        (as root; prints "skipped: why" and exits 3 when a
#                                            tool or bpf() is unavailable)
# DIR/stamp           what the cache was built from (tools, tarball, kernel BTF, these sources)
# DIR/src/            the extracted sources; DIR/libbpf/ libbpf built from them (static)
# DIR/gen/vmlinux.h   from the running kernel's BTF
# DIR/obj/NAME.o      clang-19 objects; DIR/obj/NAME.err the diagnostics of a file that fails
# DIR/compile-failed.txt   the files that do not compile
# DIR/kernel.jsonl    the kernel's verdict per program (see modern_load.c); DIR/logs/ full logs
# DIR/kernel-release  `uname -r` of the kernel that judged
# MODERN_JOBS (default 2) compiles/loads in parallel. MODERN_SUBSET=1 compiles only the files
# about the modern verifier (the globs below: 190 of the 798 files) instead of all.
set -euo pipefail

dir=${1:?usage: modern_gen.sh DIR [--force]}
force=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
tarball=/usr/src/linux-source-6.12.tar.xz
top=linux-source-6.12
clang=clang-19
jobs=${MODERN_JOBS:-2}
format="bpflint-modern corpus v1"
subset=${MODERN_SUBSET:-0}
modern_globs="verifier_* iters* dynptr_fail dynptr_success *kfunc* cpumask_* cb_refs bpf_loop* loop*
timer* test_global_func* exceptions* rbtree* linked_list* refcounted_kptr* arena* user_ringbuf*
find_vma* for_each* map_kptr* test_spin_lock* irq* preempt* rcu_read_lock task_kfunc* cgrp_kfunc*
test_tp_btf*"

skip() {
	echo "skipped: $*"
	exit 3
}

[ -f "$tarball" ] || skip "linux-source-6.12 not installed ($tarball missing)"
for t in tar xz make gcc python3 bpftool "$clang" sha256sum flock; do
	command -v "$t" >/dev/null 2>&1 || skip "$t not installed"
done
[ -f /sys/kernel/btf/vmlinux ] || skip "/sys/kernel/btf/vmlinux missing (kernel without BTF)"
[ "$(id -u)" -eq 0 ] || skip "not root: the kernel's verdicts need bpf() as root"

# What the objects are built from, and what the verdicts come from.
build_stamp() {
	echo "$format"
	stat -c 'tarball %n %s %Y' "$tarball"
	echo "btf $(sha256sum </sys/kernel/btf/vmlinux | cut -d' ' -f1)"
	echo "clang $($clang --version | head -1)"
	echo "bpftool $(bpftool version | head -1)"
	echo "script $(sha256sum <"$here/modern_gen.sh" | cut -d' ' -f1) subset $subset"
}
load_stamp() {
	echo "kernel $(uname -r)"
	echo "gcc $(gcc --version | head -1)"
	echo "loader $(sha256sum <"$here/modern_load.c" | cut -d' ' -f1)"
}
case "$dir" in /*) ;; *) dir=$PWD/$dir ;; esac
mkdir -p "$(dirname "$dir")"
# One generation at a time (the scorer and the test may run together).
exec 9>"$dir.lock"
flock 9
want_build=$(build_stamp)
want_load=$(load_stamp)
have() { [ "$force" != "--force" ] && [ -f "$dir/$1" ] && [ "$(cat "$dir/$1")" = "$2" ]; }
if have build-stamp "$want_build" && have load-stamp "$want_load" && [ -f "$dir/kernel.jsonl" ]; then
	exit 0
fi

start=$(date +%s)
t0=$start
lap() {
	local now
	now=$(date +%s)
	echo "modern: $1 in $((now - t0))s" >&2
	t0=$now
}
sel=src/tools/testing/selftests/bpf
if ! have build-stamp "$want_build"; then
if [ -d "$dir" ] && [ -n "$(ls -A "$dir")" ] && [ ! -e "$dir/build-stamp" ] && [ ! -d "$dir/obj" ]; then
	echo "modern_gen.sh: $dir is not a corpus directory; not removing it" >&2
	exit 1
fi
rm -rf "$dir"
mkdir -p "$dir/libbpf/build" "$dir/src" "$dir/gen" "$dir/obj" "$dir/bin"
cd "$dir"

# 1. sources, libbpf.
tar -xJf "$tarball" --strip-components=1 -C src \
	"$top/tools/lib" "$top/tools/include" "$top/tools/build" "$top/tools/scripts" \
	"$top/tools/arch/x86" "$top/tools/testing/selftests/bpf" "$top/include/uapi" \
	"$top/arch/x86/include/uapi" "$top/scripts/bpf_doc.py"
lap "extracted sources"
make -s -C src/tools/lib/bpf -j"$jobs" BUILD_STATIC_ONLY=1 OUTPUT="$dir/libbpf/build/" \
	DESTDIR="$dir/libbpf" prefix= install_headers "$dir/libbpf/build/libbpf.a" >"$dir/libbpf.log" 2>&1 ||
	{ cat "$dir/libbpf.log" >&2; exit 1; }
lap "built libbpf"

# 2. vmlinux.h, helper definitions (libbpf's install_headers generated bpf_helper_defs.h with
# scripts/bpf_doc.py).
bpftool btf dump file /sys/kernel/btf/vmlinux format c >gen/vmlinux.h
[ -f libbpf/include/bpf/bpf_helper_defs.h ] ||
	python3 src/scripts/bpf_doc.py --header --file src/include/uapi/linux/bpf.h >libbpf/include/bpf/bpf_helper_defs.h
# 3. the selftests programs (all of progs/*.c, or the modern subset), as the selftests Makefile
# compiles them.
sys_includes=$($clang -v -E - </dev/null 2>&1 |
	sed -n '/<...> search starts here:/,/End of search list./{ s| \(/.*\)|-idirafter \1|p }' | tr '\n' ' ')
cat >bin/cc.sh <<EOF
#!/bin/sh
# Compiles one selftests program: cc.sh progs/NAME.c
n=\$(basename "\$1" .c)
$clang -g -O2 --target=bpf -mcpu=v3 -D__TARGET_ARCH_x86 -mlittle-endian -DENABLE_ATOMICS_TESTS \\
	-Wno-compare-distinct-pointer-types -Igen -Ilibbpf/include -I$sel -I$sel/progs \\
	-Isrc/tools/include/uapi $sys_includes -c "\$1" -o obj/\$n.o 2>obj/\$n.err && rm -f obj/\$n.err
exit 0
EOF
chmod +x bin/cc.sh
sources() {
	local f n g
	for f in "$sel"/progs/*.c; do
		[ "$subset" = 1 ] || { echo "$f"; continue; }
		n=$(basename "$f" .c)
		for g in $modern_globs; do
			# shellcheck disable=SC2254
			case "$n" in $g) echo "$f"; break ;; esac
		done
	done
}
sources | xargs -P"$jobs" -n1 bin/cc.sh
(cd obj && ls -- *.err 2>/dev/null | sed 's/\.err$//') >compile-failed.txt || true
lap "compiled $(ls obj/*.o | wc -l) programs ($(wc -l <compile-failed.txt) do not compile)"

echo "$want_build" >build-stamp
fi

# 4. the kernel's verdicts, by our loader.
cd "$dir"
rm -rf logs jsonl load-stamp kernel.jsonl
mkdir -p logs jsonl
gcc -O2 -Wall -o bin/modern_load "$here/modern_load.c" -Ilibbpf/include -Isrc/tools/include/uapi \
	libbpf/build/libbpf.a -lelf -lz
uname -r >kernel-release
ls obj/*.o | xargs -P"$jobs" -I{} sh -c 'n=$(basename {} .o); bin/modern_load logs {} >jsonl/$n.jsonl 2>jsonl/$n.stderr'
cat jsonl/*.jsonl >kernel.jsonl.tmp
mv kernel.jsonl.tmp kernel.jsonl
if ! grep -q '"verdict":"ok"' kernel.jsonl; then
	skip "the kernel loaded no program at all (bpf() refused?): $(grep -m1 -o '"msg":"[^"]*"' kernel.jsonl)"
fi
lap "loaded $(wc -l <kernel.jsonl) programs"
echo "modern: generated $dir in $(($(date +%s) - start))s" >&2
echo "$want_load" >load-stamp
