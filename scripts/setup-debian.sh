#!/usr/bin/env bash
# Install the Debian packages slouchwatch needs to build. Safe to run again.
# Rust itself (1.91 or newer) comes from rustup: https://rustup.rs
set -euo pipefail
# build-essential: C compiler for SQLite (bundled) and other -sys crates.
# libclang-dev: the webcam bindings (nokhwa -> v4l2) generate their FFI with bindgen.
packages=(build-essential pkg-config libclang-dev)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null; then
  echo "cargo not found: install Rust 1.91 or newer with rustup (https://rustup.rs), then run this again." >&2
  exit 1
fi
