#!/usr/bin/env bash
# What a new user does first, on a fresh clone of this repository (committed work only):
# ./demo.sh then ./test.sh, in the README's order, so a test that depends on what the demo
# leaves in the work tree fails here. `--reverse`: ./test.sh then ./demo.sh.
# Usage: scripts/fresh-clone-check.sh [--reverse] [DIR]   (DIR: where to clone; default a new
# temporary directory). Run it before calling a change done.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
order="demo test"
if [ "${1:-}" = "--reverse" ]; then
  order="test demo"
  shift
fi
dir=${1:-$(mktemp -d "${TMPDIR:-/tmp}/fresh-clone.XXXXXX")}
git clone -q "$src" "$dir"
cd "$dir"
# demo.sh and examples/Makefile use target/release: a CARGO_TARGET_DIR elsewhere is linked in.
if [ -n "${CARGO_TARGET_DIR:-}" ] && [ ! -e target ]; then
  ln -s "$CARGO_TARGET_DIR" target
fi
for step in $order; do
  echo "== fresh clone ($dir): ./$step.sh"
  "./$step.sh"
done
echo "== fresh clone: $order: ok"
