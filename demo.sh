#!/usr/bin/env bash
# The main job: build the toolchain, assemble the examples (hand-written assembly and clang -S
# output), show the disassembly, and load every object into the running kernel.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-deps.sh
cargo build --release -q -p bpfasm -p bpfld -p bpflint
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
for obj in examples/*.o; do
  name=$(basename "$obj" .o)
  if bpftool prog loadall "$obj" "$pin/$name" >/tmp/bpfasm-demo.log 2>&1; then
    echo "loaded $obj: $(ls "$pin/$name" | tr '\n' ' ')"
  else
    echo "FAILED to load $obj:"; tail -20 /tmp/bpfasm-demo.log; status=1
  fi
done
echo "== the kernel's view of one program, with the assembly lines from line_info"
# (sed reads the whole dump: `| head` would close the pipe early and, with pipefail, fail the
# demo on bpftool's SIGPIPE whenever the dump outgrows what head reads)
first=$(ls "$pin/calls" | sed -n 1p)
bpftool prog dump xlated pinned "$pin/calls/$first" linum | sed -n 1,12p
rm -rf "$pin"
exit $status
