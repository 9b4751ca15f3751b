#!/usr/bin/env bash
# Smoke test of the real window: starts the release binary under Xvfb with a replayed folder,
# takes screenshots, and checks that the window drew something. Then closes a window to the
# tray (a stand-in tray host on a private session bus) and checks that monitoring goes on in
# the same process at a small footprint, printing its peak memory. Run by .ci/run after the tests.
# With --all it also takes every screen people see (live upright, live warning, no setup fits, the wizard,
# stretches, settings, report, about) at a narrow and a wide size in light and dark, and the
# whole report in a tall window (report-long-*), for looking at and for
# docs/screenshots/ (bash scripts/smoke-window.sh --all docs/screenshots).
#   bash scripts/smoke-window.sh [--all] [OUT_DIR]   (needs: bash scripts/setup-debian.sh --window-test)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
all=false
if [ "${1:-}" = "--all" ]; then all=true; shift; fi
out=${1:-"$root/target/smoke"}
binary="$root/target/release/slouchwatch"
[ -x "$binary" ] || { echo "build first: cargo build --release" >&2; exit 1; }
mkdir -p "$out"
work=$(mktemp -d)
trap 'kill "${app:-}" "${xvfb:-}" "${host:-}" "${bus_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

export XDG_RUNTIME_DIR="$work/runtime"
mkdir -m 700 "$XDG_RUNTIME_DIR"
mkdir -p "$work/frames" "$work/config"
for i in $(seq -w 1 60); do cp "$root/tests/fixtures/astronaut.png" "$work/frames/frame_$i.png"; done
"$binary" calibrate --source "$root/tests/fixtures/astronaut.png" --out "$work/config/calibration.json" >/dev/null
printf '{"notifications": false}\n' > "$work/config/settings.json"

# A desktop session's bus with a tray on it (a stand-in host: a headless machine has no panel).
(cd "$root" && cargo build --release --quiet --example tray_host)
dbus-daemon --session --fork --print-address=1 --print-pid=3 >"$work/bus.address" 3>"$work/bus.pid"
export DBUS_SESSION_BUS_ADDRESS=$(head -1 "$work/bus.address")
bus_pid=$(cat "$work/bus.pid")
"$root/target/release/examples/tray_host" >"$work/tray-host.log" 2>&1 &
host=$!
for _ in $(seq 50); do grep -q ready "$work/tray-host.log" && break; sleep 0.1; done

display=:99
# Tall enough for the whole report in one picture (--all). -noreset: properties set on the root
# window (the fullscreen check) outlive the client that set them.
Xvfb "$display" -screen 0 1400x2000x24 -noreset -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb=$!
sleep 2
export DISPLAY=$display

# Presses keys in the slouchwatch window in turn (xdotool's names, e.g. ctrl+w Tab Return). There is no window
# manager to give it the keyboard, so it is clicked first (on its top-left corner, away from
# any control) and focused.
press() {
  local window
  window=$(xdotool search --onlyvisible --name '^slouchwatch$' | tail -1 || true)
  [ -n "$window" ] || return 0
  xdotool mousemove --window "$window" 4 120 click 1 || true
  xdotool windowfocus --sync "$window" || true
  sleep 0.3
  xdotool key --clearmodifiers --delay 400 "$@" || true
}

# Where the warning's primary action (the suggested stretch) is drawn at a window size, "x,y".
stretch_button() { case "$1" in 480x*) echo 200,209 ;; *) echo 280,159 ;; esac; }

# Starts the window with the given arguments, waits, screenshots it to $1, quits it with Ctrl-C.
screenshot() {
  local picture=$1
  shift
  local crop=${CROP:-1400x1000}
  # Mesa's software renderer: there is no GPU here.
  LIBGL_ALWAYS_SOFTWARE=1 "$binary" gui --source "${SOURCE:-$work/frames}" --config-dir "${CONFIG:-$work/config}" "$@" \
    >"$out/window.log" 2>&1 &
  app=$!
  sleep "${WAIT_S:-10}"
  if ! kill -0 "$app" 2>/dev/null; then
    echo "the window exited early:" >&2
    cat "$out/window.log" >&2
    exit 1
  fi
  if [ -n "${KEYS:-}" ]; then
    press "$KEYS"
    sleep 2
  fi
  if [ -n "${CLICK_AT:-}" ]; then
    xdotool mousemove ${CLICK_AT/,/ } click 1 || true
    sleep 2
  fi
  if [ -n "${EXPECT_STATE:-}" ]; then
    local status
    status=$("$binary" status --json || true)
    echo "status: $status"
    grep -q "\"state\":\"$EXPECT_STATE\"" <<<"$status" || { echo "the window's state is not $EXPECT_STATE" >&2; exit 1; }
  fi
  import -window root -crop "$crop+0+0" +repage "$picture"
  echo "window peak RSS: $(awk '/VmHWM/ { printf "%.1f MB", $2 / 1024 }' "/proc/$app/status")"
  kill -INT "$app"
  wait "$app" || true
  local spread
  spread=$(identify -format '%[fx:standard_deviation]' "$picture")
  echo "screenshot: $picture (pixel spread $spread)"
  awk -v spread="$spread" 'BEGIN { exit !(spread > 0.02) }' || { echo "the screenshot is blank" >&2; exit 1; }
}

# The window while a call has the camera (the camera's node is a file here; a copy of tail
# named zoom holds it open, as a call program would).
in_call() {
  local picture=$1
  shift
  : >"$work/video9"
  cp "$(command -v tail)" "$work/zoom"
  ( sleep 5; exec "$work/zoom" -f "$work/video9" ) &
  local caller=$!
  SLOUCHWATCH_CAMERA_NODE="$work/video9" CROP=${CROP:-1400x1000} screenshot "$picture" "$@"
  kill "$caller" 2>/dev/null || true
  wait "$caller" 2>/dev/null || true
}

CROP=900x760 screenshot "$out/window.png" --data-dir "$work/data" --window-size 900x760
[ -s "$work/data/history.sqlite3" ] || { echo "no history was written" >&2; exit 1; }

# A call takes the camera: the real window gives it over and says so (the bus says "yielded").
EXPECT_STATE=yielded CROP=900x760 in_call "$out/in-call.png" --data-dir "$work/call" --window-size 900x760

# The Report screen over a month of sample history.
(cd "$root" && cargo build --release --quiet --example sample_history)
"$root/target/release/examples/sample_history" "$work/sample" 30 >/dev/null
CROP=900x760 screenshot "$out/report.png" --data-dir "$work/sample" --screen report --window-size 900x760

# Closing the window: monitoring goes on from the tray in the same process, without the window's
# memory, and its minutes reach the history.
mkdir -p "$work/long" "$work/tray-config"
for i in $(seq -w 1 400); do ln -s "$root/tests/fixtures/astronaut.png" "$work/long/frame_$i.png"; done
cp "$work/config/calibration.json" "$work/tray-config/"
printf '{"notifications": false, "close_to_tray_explained": true}\n' > "$work/tray-config/settings.json"
monitored() { "$binary" report --format json --data-dir "$work/tray-data" | sed -n 's/.*"monitored_s": *\([0-9.]*\).*/\1/p' | head -1; }
LIBGL_ALWAYS_SOFTWARE=1 "$binary" gui --source "$work/long" --fps 2 --config-dir "$work/tray-config" \
  --data-dir "$work/tray-data" --window-size 900x760 >"$out/tray.log" 2>&1 &
app=$!
sleep 10
echo "window open: peak RSS $(awk '/VmHWM/ { printf "%.1f MB", $2 / 1024 }' "/proc/$app/status")"
in_tray() { tr '\0' ' ' <"/proc/$app/cmdline" | grep -q -- --background; }
for _ in 1 2 3; do
  in_tray && break
  press ctrl+w
  for _ in $(seq 25); do in_tray && break; sleep 0.2; done
done
in_tray || { echo "the closed window did not go to the tray" >&2; cat "$out/tray.log" >&2; exit 1; }
sleep 2
before=$(monitored)
sleep 20
"$binary" status | grep -q "Good posture" || { echo "the tray's monitor does not say Good posture: $("$binary" status 2>&1)" >&2; exit 1; }
echo "window closed, monitoring from the tray: peak RSS $(awk '/VmHWM/ { printf "%.1f MB", $2 / 1024 }' "/proc/$app/status")" \
  "(anonymous $(awk '/RssAnon/ { printf "%.1f MB", $2 / 1024 }' "/proc/$app/status"))"
item=$(tail -1 "$work/tray-host.log")
dbus-send --dest="$item" --print-reply /MenuBar com.canonical.dbusmenu.Event int32:12 string:clicked variant:int32:0 uint32:0 >/dev/null
wait "$app" || { echo "Quit from the tray menu failed" >&2; cat "$out/tray.log" >&2; exit 1; }
after=$(monitored)
echo "history: ${before:-0} s monitored when the window closed, ${after:-0} s after 20 s in the tray and Quit"
awk -v a="${after:-0}" -v b="${before:-0}" 'BEGIN { exit !(a >= b + 15) }' || { echo "the tray's minutes did not reach the history" >&2; exit 1; }

# Quit from the window ends the process, tray or no tray, and never turns into the tray monitor:
# Ctrl+Q (the close to the tray explained already, or not yet), and the first close's dialog's
# "Quit slouchwatch" (reached with the keyboard: Tab, Tab, Return). Ctrl+W above went to the tray.
quit_from_window() {
  local explained=$1 what=$2
  shift 2
  rm -rf "$work/quit-config"; mkdir -p "$work/quit-config"
  cp "$work/config/calibration.json" "$work/quit-config/"
  printf '{"notifications": false, "close_to_tray_explained": %s}\n' "$explained" > "$work/quit-config/settings.json"
  LIBGL_ALWAYS_SOFTWARE=1 "$binary" gui --source "$work/long" --fps 2 --config-dir "$work/quit-config" \
    --data-dir "$work/quit-data" --window-size 900x760 >"$out/quit.log" 2>&1 &
  app=$!
  sleep 10
  "$binary" status | grep -q "Good posture" || { echo "$what: the window is not monitoring" >&2; exit 1; }
  if [ -n "${DIALOG:-}" ]; then
    # The first close waits for its dialog (pictured) rather than closing or going to the tray.
    press ctrl+w
    sleep 2
    kill -0 "$app" 2>/dev/null && ! in_tray || { echo "$what: no dialog before the close" >&2; exit 1; }
    import -window root -crop 900x760+0+0 +repage "$out/quit-dialog.png"
  fi
  press "$@"
  for _ in $(seq 50); do
    kill -0 "$app" 2>/dev/null || break
    if in_tray; then echo "$what: the window went to the tray instead of quitting" >&2; exit 1; fi
    sleep 0.2
  done
  if kill -0 "$app" 2>/dev/null; then echo "$what: slouchwatch still runs after Quit" >&2; cat "$out/quit.log" >&2; exit 1; fi
  wait "$app" || { echo "$what: slouchwatch failed on the way out" >&2; cat "$out/quit.log" >&2; exit 1; }
  if "$binary" status >/dev/null 2>&1; then echo "$what: a monitor still answers on the bus" >&2; exit 1; fi
  echo "$what: the process ended, nothing monitors"
}
quit_from_window true "Ctrl+Q (close explained)" ctrl+q
quit_from_window false "Ctrl+Q (close not yet explained)" ctrl+q
DIALOG=1 quit_from_window false "the close dialog's Quit slouchwatch" Tab Tab Return

# The same person 30% larger (too close): a slouch that warns within seconds.
convert "$root/tests/fixtures/astronaut.png" -gravity center -crop 77%x77%+0+0 +repage \
  -resize "$(identify -format '%wx%h' "$root/tests/fixtures/astronaut.png")!" "$work/close.png"

# Quiet while presenting, on this real X server: while the active window is fullscreen (the
# window manager's properties, set here with xprop: there is no window manager) a warning is
# held back; when it leaves fullscreen, the warning that still stands is given.
mkdir -p "$work/present"
for i in $(seq -w 1 8); do cp "$root/tests/fixtures/astronaut.png" "$work/present/a_$i.png"; done
for i in $(seq -w 1 160); do cp "$work/close.png" "$work/present/b_$i.png"; done
root_id=$(xwininfo -root | awk '/Window id:/ { print $4 }')
xprop -root -f _NET_ACTIVE_WINDOW 32x -set _NET_ACTIVE_WINDOW "$root_id"
xprop -root -f _NET_WM_STATE 32a -set _NET_WM_STATE _NET_WM_STATE_FULLSCREEN
"$binary" run --no-notify --replay-speed 1 --fps 4 --warn-after 3 --source "$work/present" \
  --calibration "$work/config/calibration.json" --data-dir "$work/present-data" >"$work/present.log" 2>/dev/null &
presenter=$!
for _ in $(seq 150); do grep -q '"event":"warning_held_back"' "$work/present.log" && break; sleep 0.1; done
grep -q '"event":"warning_held_back".*"quiet":"fullscreen"' "$work/present.log" \
  || { echo "no warning held back while fullscreen:" >&2; cat "$work/present.log" >&2; exit 1; }
! grep -q '"event":"warning"' "$work/present.log" || { echo "a warning was given while fullscreen" >&2; exit 1; }
xprop -root -remove _NET_WM_STATE
for _ in $(seq 100); do grep -q '"event":"warning"' "$work/present.log" && break; sleep 0.1; done
kill -TERM "$presenter"; wait "$presenter" || true
grep -q '"event":"warning"' "$work/present.log" || { echo "the held warning was not given after fullscreen" >&2; exit 1; }
echo "presenting: a warning due while fullscreen was held back, and given when fullscreen ended"

# The glow around the screen's edge, on this real X server: four click-through windows appear
# with the warning and go when it clears.
mkdir -p "$work/glow" "$work/glow-config/slouchwatch"
for i in $(seq -w 1 8); do cp "$root/tests/fixtures/astronaut.png" "$work/glow/a_$i.png"; done
for i in $(seq -w 1 40); do cp "$work/close.png" "$work/glow/b_$i.png"; done
for i in $(seq -w 1 100); do cp "$root/tests/fixtures/astronaut.png" "$work/glow/c_$i.png"; done
printf '{"notifications": false, "nudge_glow": true}\n' > "$work/glow-config/slouchwatch/settings.json"
XDG_CONFIG_HOME="$work/glow-config" "$binary" run --no-notify --replay-speed 1 --fps 4 --warn-after 3 \
  --source "$work/glow" --calibration "$work/config/calibration.json" --data-dir "$work/glow-data" \
  >"$work/glow.log" 2>/dev/null &
glower=$!
glows() { xdotool search --onlyvisible --name '^slouchwatch glow$' 2>/dev/null | wc -l; }
for _ in $(seq 150); do [ "$(glows)" -eq 4 ] && break; sleep 0.1; done
[ "$(glows)" -eq 4 ] || { echo "no glow around the screen with the warning:" >&2; cat "$work/glow.log" >&2; exit 1; }
grep -q '"event":"warning"' "$work/glow.log" || { echo "a glow without a warning" >&2; exit 1; }
for _ in $(seq 300); do grep -q '"event":"cleared"' "$work/glow.log" && break; sleep 0.1; done
sleep 1
[ "$(glows)" -eq 0 ] || { echo "the glow stayed after the warning cleared" >&2; exit 1; }
kill -TERM "$glower"; wait "$glower" || true
echo "glow: four windows around the screen with the warning, none once it cleared"

# The desktop's scale: with Xft.dpi at 144 (150%, as GNOME's text scaling sets it) the window
# and its text are drawn half as large again.
xprop -root -f RESOURCE_MANAGER 8s -set RESOURCE_MANAGER "$(printf 'Xft.dpi:\t144\n')"
LIBGL_ALWAYS_SOFTWARE=1 "$binary" gui --source "$work/frames" --config-dir "$work/config" --data-dir "$work/scaled" \
  --window-size 600x500 >"$work/scaled.log" 2>&1 &
scaled=$!
sleep 6
geometry=$(xdotool search --onlyvisible --name '^slouchwatch$' getwindowgeometry 2>/dev/null | awk '/Geometry/ { print $2 }' | tail -1)
kill -INT "$scaled"; wait "$scaled" || true
xprop -root -remove RESOURCE_MANAGER
[ "$geometry" = 900x750 ] || { echo "the window did not follow the desktop's scale: $geometry" >&2; exit 1; }
echo "scale: a 600x500 window is $geometry pixels at Xft.dpi 144"

if $all; then
  # A slouch that warns within seconds: upright, then the same person too close.
  mkdir -p "$work/slouch"
  for i in $(seq -w 1 6); do cp "$root/tests/fixtures/astronaut.png" "$work/slouch/a_$i.png"; done
  for i in $(seq -w 1 80); do cp "$work/close.png" "$work/slouch/b_$i.png"; done
  mkdir -p "$work/close-config"; cp "$work/config/calibration.json" "$work/close-config/"
  # Another picture size than any setup's: none fits, and the window asks which setup this is.
  mkdir -p "$work/aside"
  for i in $(seq -w 1 40); do ln -s "$root/tests/fixtures/astronaut-wide.jpg" "$work/aside/f_$i.jpg"; done
  for mode in light dark; do
    dark=false; [ "$mode" = dark ] && dark=true
    for size in 480x760 1280x800; do
      name="$size-$mode"
      printf '{"notifications": false, "dark_mode": %s, "warn_after_s": 5}\n' "$dark" > "$work/config/settings.json"
      CROP=$size screenshot "$out/live-$name.png" --data-dir "$work/d-$name" --window-size "$size"
      # A video call takes the camera: the replay stands in for the camera at a node, and a
      # program named zoom opens that node a few seconds in.
      in_call "$out/in-call-$name.png" --data-dir "$work/y-$name" --window-size "$size"
      SOURCE="$work/slouch" CROP=$size WAIT_S=16 screenshot "$out/warning-$name.png" --data-dir "$work/w-$name" --window-size "$size"
      # The stretch sheet, opened from the warning's primary action (clicked where it is drawn).
      SOURCE="$work/slouch" CROP=$size WAIT_S=16 CLICK_AT="$(stretch_button "$size")" screenshot "$out/stretch-$name.png" --data-dir "$work/t-$name" --window-size "$size"
      CROP=$size screenshot "$out/settings-$name.png" --data-dir "$work/s-$name" --screen settings --window-size "$size"
      # The whole Settings page, down to How to nudge me.
      CROP="${size%x*}x1950" screenshot "$out/settings-long-$name.png" --data-dir "$work/s-$name" --screen settings --window-size "${size%x*}x1950"
      SOURCE="$work/aside" CROP=$size screenshot "$out/no-setup-$name.png" --data-dir "$work/n-$name" --window-size "$size"
      CROP=$size screenshot "$out/report-$name.png" --data-dir "$work/sample" --screen report --window-size "$size"
      long="${size%x*}x1950"
      CROP=$long screenshot "$out/report-long-$name.png" --data-dir "$work/sample" --screen report --window-size "$long"
      CROP=$size screenshot "$out/stretches-$name.png" --data-dir "$work/s-$name" --screen stretches --window-size "$size"
      CROP=$size screenshot "$out/about-$name.png" --data-dir "$work/s-$name" --screen about --window-size "$size"
      # The first close to the tray explains itself.
      printf '{"notifications": false, "dark_mode": %s}\n' "$dark" > "$work/close-config/settings.json"
      CONFIG="$work/close-config" KEYS=ctrl+w CROP=$size screenshot "$out/close-$name.png" --data-dir "$work/c-$name" --window-size "$size"
      # The wizard of a first start: no calibration yet.
      rm -rf "$work/fresh"; mkdir -p "$work/fresh"; cp "$work/config/settings.json" "$work/fresh/"
      CONFIG="$work/fresh" CROP=$size screenshot "$out/wizard-$name.png" --data-dir "$work/z-$name" --window-size "$size"
    done
  done
fi
echo "window smoke test passed"
