#!/usr/bin/env bash
# Smoke test of the real window: starts the release binary under Xvfb with a replayed folder,
# takes a screenshot, and checks that the window drew something. Run by .ci/run after the tests.
#   bash scripts/smoke-window.sh [OUT_DIR]     (needs: bash scripts/setup-debian.sh --window-test)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-"$root/target/smoke"}
binary="$root/target/release/slouchwatch"
[ -x "$binary" ] || { echo "build first: cargo build --release" >&2; exit 1; }
mkdir -p "$out"
work=$(mktemp -d)
trap 'kill "${app:-}" "${xvfb:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

export XDG_RUNTIME_DIR="$work/runtime"
mkdir -m 700 "$XDG_RUNTIME_DIR"
mkdir -p "$work/frames" "$work/config"
for i in $(seq -w 1 60); do cp "$root/tests/fixtures/astronaut.png" "$work/frames/frame_$i.png"; done
"$binary" calibrate --source "$root/tests/fixtures/astronaut.png" --out "$work/config/calibration.json" >/dev/null
printf '{"notifications": false}\n' > "$work/config/settings.json"

display=:99
Xvfb "$display" -screen 0 1024x900x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb=$!
sleep 2
export DISPLAY=$display

# Starts the window with the given arguments, waits, screenshots it to $1, closes it with Ctrl-C.
screenshot() {
  local picture=$1
  shift
  # Mesa's software renderer: there is no GPU here.
  LIBGL_ALWAYS_SOFTWARE=1 "$binary" gui --source "$work/frames" --config-dir "$work/config" "$@" \
    >"$out/window.log" 2>&1 &
  app=$!
  sleep 10
  if ! kill -0 "$app" 2>/dev/null; then
    echo "the window exited early:" >&2
    cat "$out/window.log" >&2
    exit 1
  fi
  import -window root "$picture"
  echo "window peak RSS: $(awk '/VmHWM/ { printf "%.1f MB", $2 / 1024 }' "/proc/$app/status")"
  kill -INT "$app"
  wait "$app" || true
  local spread
  spread=$(identify -format '%[fx:standard_deviation]' "$picture")
  echo "screenshot: $picture (pixel spread $spread)"
  awk -v spread="$spread" 'BEGIN { exit !(spread > 0.05) }' || { echo "the screenshot is blank" >&2; exit 1; }
}

screenshot "$out/window.png" --data-dir "$work/data"
[ -s "$work/data/history.sqlite3" ] || { echo "no history was written" >&2; exit 1; }

# The Report screen over a month of sample history.
(cd "$root" && cargo build --release --quiet --example sample_history)
"$root/target/release/examples/sample_history" "$work/sample" 30 >/dev/null
screenshot "$out/report.png" --data-dir "$work/sample" --screen report
echo "window smoke test passed"
