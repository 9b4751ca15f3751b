#!/usr/bin/env bash
# Renders the application icon's PNG sizes from assets/icons/io.github.slouchwatch.svg into
# assets/icons/hicolor/SIZExSIZE/apps/ (the freedesktop icon theme layout the .deb installs).
# The PNGs are committed; run this after changing the SVG. Needs rsvg-convert (librsvg2-bin).
#   bash scripts/render-icons.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
svg="$root/assets/icons/io.github.slouchwatch.svg"
command -v rsvg-convert >/dev/null || { echo "needs rsvg-convert: apt-get install librsvg2-bin" >&2; exit 1; }
for size in 16 22 24 32 48 64 128 256 512; do
  dir="$root/assets/icons/hicolor/${size}x${size}/apps"
  mkdir -p "$dir"
  rsvg-convert --width "$size" --height "$size" "$svg" --output "$dir/io.github.slouchwatch.png"
done
mkdir -p "$root/assets/icons/hicolor/scalable/apps"
cp "$svg" "$root/assets/icons/hicolor/scalable/apps/io.github.slouchwatch.svg"
echo "icons written under $root/assets/icons/hicolor"
