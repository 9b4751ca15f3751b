#!/usr/bin/env bash
# Cargo's runner for Windows test binaries: puts the Wine-only ProcessPrng stand-in beside the
# .exe (see bcryptprimitives.c) and runs it under Wine.
set -euo pipefail
shim="$(cd "$(dirname "$0")/../.." && pwd)/target/x86_64-pc-windows-gnu/wine/bcryptprimitives.dll"
cp -u "$shim" "$(dirname "$1")/"
exec wine "$@"
