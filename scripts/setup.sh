#!/usr/bin/env bash
# Installs what a fresh machine lacks to build, test and run dl4j-grpoma: a JDK 17+ and Maven.
# Safe to run again: it only installs what is missing. Called by bin/grpoma and .ci/run.
set -euo pipefail

say() { printf '[setup] %s\n' "$*" >&2; }

need_apt=()
if ! command -v javac >/dev/null 2>&1; then
  need_apt+=(openjdk-17-jdk-headless)
else
  major=$(javac -version 2>&1 | sed -E 's/^javac ([0-9]+).*/\1/')
  if [ "${major:-0}" -lt 17 ]; then
    say "javac ${major} found, 17 or newer needed"
    need_apt+=(openjdk-17-jdk-headless)
  fi
fi
command -v mvn >/dev/null 2>&1 || need_apt+=(maven)

if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
    say "missing ${need_apt[*]} and not root: install them with your package manager, then rerun"
    exit 1
  fi
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  say "installing ${need_apt[*]} (Debian packages)"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

say "$(javac -version 2>&1), $(mvn -v 2>/dev/null | head -n 1 | sed 's/\x1b\[[0-9;]*m//g')"
