#!/usr/bin/env bash
# Monitoring cost at default settings over a replayed hour of ordinary desk work: 7,200 frames at
# two a second of a 640x480 webcam picture (JPEG, like MJPEG), mostly still, with a few seconds of
# movement every few minutes and one five-minute break. Replays it through `slouchwatch run`
# (the real engine: decoding, motion check, the model when something moved, alerts, SQLite) and
# prints the CPU it used as a share of one core over the virtual hour, and its peak RSS, with the
# largest anonymous (heap, stacks: slouchwatch's own) and file-backed (the program's code and
# data as mapped from the page cache, which the kernel shares and drops as it likes) parts seen
# while it ran (sampled from /proc/PID/status every 50 ms).
#   bash scripts/bench/monitor-hour.sh [WORK_DIR]      (needs ImageMagick and GNU time)
# SLOUCHWATCH_BIN=PATH measures another build of the program (for before/after comparisons).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=${1:-"$root/target/monitor-hour"}
binary=${SLOUCHWATCH_BIN:-"$root/target/release/slouchwatch"}
[ -n "${SLOUCHWATCH_BIN:-}" ] || (cd "$root" && cargo build --release --quiet --bin slouchwatch)
rm -rf "$work"
mkdir -p "$work/poses" "$work/hour"
convert "$root/tests/fixtures/coffee.png" -resize 640x480^ -gravity center -extent 640x480 -blur 0x4 "$work/room.png"
convert "$root/tests/fixtures/astronaut.png" -resize 330x330 "$work/person.png"
# Twelve slightly different positions of the person, and the empty chair.
for i in $(seq 0 11); do
  dx=$(awk -v i="$i" 'BEGIN { printf "%d", 155 + 14 * sin(i) }')
  dy=$(awk -v i="$i" 'BEGIN { printf "%d", 150 + 5 * cos(i * 1.7) }')
  convert "$work/room.png" "$work/person.png" -geometry "+$dx+$dy" -composite -quality 85 "$work/poses/p$i.jpg"
done
convert "$work/room.png" -quality 85 "$work/poses/empty.jpg"
"$binary" calibrate --source "$work/poses/p0.jpg" --out "$work/calibration.json" >/dev/null

# The hour: still stretches of 1-10 minutes, 5 s of movement between them, a break at minute 30.
n=0
add() { ln -s "../poses/$1" "$work/hour/f$(printf %05d "$n").jpg"; n=$((n + 1)); }
still=(120 300 60 600 180 240 90 420)
pose=0
k=0
while [ "$n" -lt 7200 ]; do
  seconds=${still[$((k % ${#still[@]}))]}
  for _ in $(seq 1 $((seconds * 2))); do [ "$n" -lt 7200 ] && add "p$pose.jpg"; done
  for j in $(seq 1 10); do [ "$n" -lt 7200 ] && add "p$(((pose + j) % 12)).jpg"; done
  pose=$(((pose + 5) % 12))
  if [ "$k" -eq 4 ]; then for _ in $(seq 1 600); do [ "$n" -lt 7200 ] && add "empty.jpg"; done; fi
  k=$((k + 1))
done

/usr/bin/time -v "$binary" run --source "$work/hour" --fps 2 --start 2026-11-20T09:00:00Z \
  --calibration "$work/calibration.json" --data-dir "$work/data" --no-notify \
  >"$work/events.jsonl" 2>"$work/time.txt" &
timer=$!
anon=0
file=0
while kill -0 "$timer" 2>/dev/null; do
  pid=$(pgrep -P "$timer" || true)
  if [ -n "$pid" ] && read -r a f < <(awk '/^RssAnon/ { a = $2 } /^RssFile/ { f = $2 } END { print a + 0, f + 0 }' "/proc/$pid/status" 2>/dev/null); then
    [ "$a" -gt "$anon" ] && anon=$a
    [ "$f" -gt "$file" ] && file=$f
  fi
  sleep 0.05
done
wait "$timer"
cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$work/time.txt")
rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$work/time.txt")
tail -1 "$work/events.jsonl"
awk -v cpu="$cpu" -v rss="$rss" -v anon="$anon" -v file="$file" 'BEGIN {
  printf "CPU %.2f s for 3600 s of monitoring = %.2f%% of one core; peak RSS %.1f MB (largest anonymous %.1f MB, largest file-backed %.1f MB)\n", cpu, cpu / 36, rss, anon / 1024, file / 1024 }'
