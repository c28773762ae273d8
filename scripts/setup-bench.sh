#!/usr/bin/env bash
# Installs the PyTorch peer of `bin/grpoma bench-step` on Debian/Ubuntu: python3-torch (1.13 on Debian 12) and the
# threaded OpenBLAS (without it Debian's torch runs on the slow reference BLAS). Not part of CI or the build:
# bin/grpoma calls it only for bench-step. Safe to run again; skips when torch is already importable.
# GRPOMA_NO_INSTALL=1 skips the install (bench-step then prints the Java side only and how to get the ratios).
set -euo pipefail

say() { printf '[setup-bench] %s\n' "$*" >&2; }

for py in python3 /usr/bin/python3; do
  if command -v "$py" >/dev/null 2>&1 && "$py" -c 'import torch' >/dev/null 2>&1; then
    exit 0
  fi
done
if [ "${GRPOMA_NO_INSTALL:-0}" = 1 ]; then
  say "torch not importable and GRPOMA_NO_INSTALL=1: bench-step runs without the PyTorch comparison"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  say "no apt-get: install PyTorch for python3 yourself (pip install torch) to get Java/PyTorch ratios"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if sudo -n true 2>/dev/null; then SUDO=sudo; else
    say "not root: run 'sudo apt-get install python3-torch libopenblas0-pthread' for Java/PyTorch ratios"
    exit 0
  fi
fi
say "installing python3-torch libopenblas0-pthread (Debian packages, about 1 GB with dependencies)"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-torch libopenblas0-pthread >/dev/null
