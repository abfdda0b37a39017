#!/usr/bin/env bash
# The test command: installs prerequisites, then formatting, lints and every test
# (unit, golden CLI, differential against llvm-mc-19 / clang-19 / bpftool, kernel loads).
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-deps.sh
echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings
echo "== cargo build (release binaries used by the end-to-end tests)"
cargo build --workspace --release --bins
echo "== cargo test"
cargo test --workspace --release
