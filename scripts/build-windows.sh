#!/usr/bin/env bash
# Cross-builds slouchwatch for Windows (x86_64-pc-windows-gnu) on Debian, with mingw-w64:
# target/x86_64-pc-windows-gnu/release/slouchwatch.exe. Also builds the Wine-only stand-in for
# bcryptprimitives.dll (scripts/wine/, for testing under Wine 8, never shipped) into
# target/x86_64-pc-windows-gnu/wine/.
#   bash scripts/build-windows.sh        (needs: bash scripts/setup-debian.sh --windows)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
target=x86_64-pc-windows-gnu
if ! rustup target list --installed 2>/dev/null | grep -qx "$target"; then
  echo "THE WINDOWS BUILD CANNOT RUN: the Rust target $target is not installed." >&2
  echo "Install it with: rustup target add $target (or bash scripts/setup-debian.sh --windows)" >&2
  exit 1
fi
if ! command -v x86_64-w64-mingw32-gcc >/dev/null; then
  echo "THE WINDOWS BUILD CANNOT RUN: mingw-w64 is missing: bash scripts/setup-debian.sh --windows" >&2
  exit 1
fi
cd "$root"
cargo build --release --locked --target "$target" --bin slouchwatch
mkdir -p "target/$target/wine"
x86_64-w64-mingw32-gcc -O2 -shared -o "target/$target/wine/bcryptprimitives.dll" \
  scripts/wine/bcryptprimitives.c scripts/wine/bcryptprimitives.def -ladvapi32
ls -l "target/$target/release/slouchwatch.exe" "target/$target/wine/bcryptprimitives.dll"
