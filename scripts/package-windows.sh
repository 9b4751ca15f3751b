#!/usr/bin/env bash
# Packages the Windows build (scripts/build-windows.sh first): a per-user NSIS installer and a
# portable zip, in target/windows/:
#   slouchwatch-VERSION-setup.exe, slouchwatch-VERSION-windows-x86_64.zip
# Both hold slouchwatch.exe (Lightning and the face mesh built in), models\movenet-thunder.onnx
# (where the program looks beside itself), the icon, README.txt and the licences.
#   bash scripts/package-windows.sh      (needs: bash scripts/setup-debian.sh --windows --window-test)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
exe="$root/target/x86_64-pc-windows-gnu/release/slouchwatch.exe"
[ -f "$exe" ] || { echo "build first: bash scripts/build-windows.sh" >&2; exit 1; }
for tool in makensis zip convert x86_64-w64-mingw32-strip; do
  command -v "$tool" >/dev/null || { echo "THE WINDOWS PACKAGES CANNOT BE MADE: $tool is missing: bash scripts/setup-debian.sh --windows --window-test" >&2; exit 1; }
done
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -1)
out="$root/target/windows"
stage="$out/slouchwatch-$version"
rm -rf "$out"
mkdir -p "$stage/models"
x86_64-w64-mingw32-strip -o "$stage/slouchwatch.exe" "$exe"
icons="$root/assets/icons/hicolor"
convert "$icons"/{16x16,24x24,32x32,48x48,64x64,128x128,256x256}/apps/io.github.slouchwatch.png "$stage/slouchwatch.ico"
sed 's/$/\r/' "$root/assets/windows/README.txt" >"$stage/README.txt"
sed 's/$/\r/' "$root/assets/debian/copyright" >"$stage/LICENSES.txt"
cp "$root/models/movenet-thunder.onnx" "$root/models/README.md" "$stage/models/"
(cd "$root/assets/windows" && makensis -V2 -DVERSION="$version" -DSTAGE="$stage" \
  -DOUTFILE="$out/slouchwatch-$version-setup.exe" slouchwatch.nsi)
(cd "$out" && zip -qr "slouchwatch-$version-windows-x86_64.zip" "slouchwatch-$version")
size() { awk -v bytes="$(stat -c %s "$1")" 'BEGIN { printf "%.1f MB", bytes / 1e6 }'; }
echo "slouchwatch.exe: $(size "$exe") unstripped, $(size "$stage/slouchwatch.exe") stripped"
echo "installer: $(size "$out/slouchwatch-$version-setup.exe"); zip: $(size "$out/slouchwatch-$version-windows-x86_64.zip")"
