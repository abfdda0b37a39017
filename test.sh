#!/usr/bin/env bash
# The test command: installs prerequisites, then formatting, lints and every test
# (unit, golden CLI, differential against llvm-mc-19 / clang-19 / bpftool, kernel loads).
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-deps.sh
# The kernel-facing tests need bpffs and tracefs (mounted by hand on some machines).
if [ "$(id -u)" -eq 0 ]; then
  mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf 2>/dev/null || true
  [ -d /sys/kernel/tracing/events ] || mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null || true
fi
echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings
echo "== cargo build (release binaries used by the end-to-end tests)"
cargo build --workspace --release --bins
echo "== cargo test"
cargo test --workspace --release
