#!/usr/bin/env bash
# Writes 1920x1080 JPEG frames of a person at a desk for the speed comparison: the astronaut
# portrait from tests/fixtures (public domain) over a blurred room, moving a little from frame to
# frame as people do. Needs ImageMagick.
#   bash scripts/bench/make-frames.sh OUT_DIR [COUNT]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$1
count=${2:-30}
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
convert "$root/tests/fixtures/coffee.png" -resize 1920x1080^ -gravity center -extent 1920x1080 -blur 0x6 "$work/room.png"
convert "$root/tests/fixtures/astronaut.png" -resize 980x980 "$work/person.png"
for i in $(seq 0 $((count - 1))); do
  # A slow sway of up to 40 px and a small nod, like someone typing.
  dx=$(awk -v i="$i" 'BEGIN { printf "%d", 470 + 40 * sin(i / 4) }')
  dy=$(awk -v i="$i" 'BEGIN { printf "%d", 100 + 8 * sin(i / 3) }')
  convert "$work/room.png" "$work/person.png" -geometry "+$dx+$dy" -composite -quality 90 \
    "$out/frame_$(printf %04d "$i").jpg"
done
echo "wrote $count frames to $out"
