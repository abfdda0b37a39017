#!/usr/bin/env bash
# The main job: build the toolchain, assemble the examples (hand-written assembly and clang -S
# output), show the disassembly, and load every object into the running kernel.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-deps.sh
cargo build --release --bins -q
make -s -C examples clean
make -s -C examples -j2
echo "== bpfasm -d examples/socket_filter.o"
target/release/bpfasm -d examples/socket_filter.o | sed -n '/^tcp_only:/,/^\t.size/p'
if [ "$(id -u)" -ne 0 ]; then
  echo "demo: not root: skipping kernel loads"
  exit 0
fi
mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
pin=/sys/fs/bpf/bpfasm-demo
rm -rf "$pin"; mkdir -p "$pin"
status=0
load() { # object, program type (empty: from the section name)
  if bpftool prog load "$1" "$pin/$(basename "$1" .o)" ${2:+type $2} 2>/tmp/bpfasm-demo.log; then
    echo "loaded $1: $(bpftool prog show pinned "$pin/$(basename "$1" .o)" | head -1)"
  else
    echo "FAILED to load $1:"; tail -20 /tmp/bpfasm-demo.log; status=1
  fi
}
load examples/socket_filter.o socket
load examples/xdp_count.o
rm -rf "$pin"
exit $status
