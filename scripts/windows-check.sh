#!/usr/bin/env bash
# Checks the Windows build under Wine (run by .ci/run after scripts/build-windows.sh):
#  - slouchwatch.exe --version runs;
#  - analyze on tests/fixtures/astronaut.png finds the same body points and chin as the Linux
#    build (within 1 px): the same models and the same arithmetic, compiled for Windows;
#  - control from outside over the named pipe, and one monitor at a time;
#  - the library's unit tests and the CLI, replay and report integration tests, built for
#    Windows and run under Wine (with the X server, so the tray icon's and lock watch's windows
#    are real).
# Wine 8 (Debian 12) lacks ProcessPrng, which Rust's standard library asks bcryptprimitives.dll
# for; the stand-in from scripts/wine/ is put beside each .exe under test (never shipped).
#   bash scripts/windows-check.sh        (needs: bash scripts/setup-debian.sh --windows)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
target=x86_64-pc-windows-gnu
out="$root/target/$target"
exe="$out/release/slouchwatch.exe"
shim="$out/wine/bcryptprimitives.dll"
linux="$root/target/release/slouchwatch"
[ -f "$exe" ] && [ -f "$shim" ] || { echo "build first: bash scripts/build-windows.sh" >&2; exit 1; }
command -v wine >/dev/null || { echo "THE WINDOWS CHECK CANNOT RUN: no wine: bash scripts/setup-debian.sh --windows" >&2; exit 1; }

work=$(mktemp -d)
xvfb=
menu_x=
trap 'wineserver -k 2>/dev/null || true; for x in $xvfb $menu_x; do kill "$x" 2>/dev/null || true; done; rm -rf "$work"' EXIT
export WINEPREFIX="$work/prefix" WINEDEBUG=-all
# The stand-in DLL beside the .exe before Wine's own; no Mono or Gecko installer prompts.
export WINEDLLOVERRIDES="bcryptprimitives=n,b;mscoree=;mshtml="
# A virtual X server for everything with a window: the app's window, and the tray icon's and
# lock watch's hidden windows in the library's tests (Wine's X11 driver gives them a real
# notification area).
if command -v Xvfb >/dev/null; then
  Xvfb :97 -screen 0 1000x800x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb=$!
  export DISPLAY=:97
  sleep 2
fi
started=$(date +%s)
wineboot --init >/dev/null 2>&1 || true
echo "wine prefix ready in $(( $(date +%s) - started )) s ($(wine --version))"

cp "$shim" "$(dirname "$exe")/"
version=$(wine "$exe" --version | tr -d '\r')
echo "under Wine: $version"
[[ "$version" == "slouchwatch $(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -1)" ]] \
  || { echo "slouchwatch.exe --version said: $version" >&2; exit 1; }

# The same picture through both builds.
cp "$root/tests/fixtures/astronaut.png" "$work/astronaut.png"
started=$(date +%s%N)
(cd "$work" && wine "$exe" analyze astronaut.png --json) | tr -d '\r' >"$work/windows.json"
echo "analyze under Wine: $(( ($(date +%s%N) - started) / 1000000 )) ms"
(cd "$work" && "$linux" analyze astronaut.png --json) >"$work/linux.json"
python3 - "$work/linux.json" "$work/windows.json" <<'PY'
import json, sys
linux, windows = (json.load(open(path)) for path in sys.argv[1:3])
assert windows["person"] and linux["person"], "a person in both"
worst = 0.0
for name, point in linux["keypoints"].items():
    other = windows["keypoints"][name]
    worst = max(worst, abs(point["x"] - other["x"]), abs(point["y"] - other["y"]))
assert worst <= 1.0, f"body points differ by {worst:.2f} px"
assert bool(linux.get("face_read")) == bool(windows.get("face_read")), "the face read in one build only"
if linux.get("face"):
    chin = max(abs(linux["face"]["chin"][axis] - windows["face"]["chin"][axis]) for axis in ("x", "y"))
    assert chin <= 1.0, f"the chin differs by {chin:.2f} px"
print(f"analyze: the Windows build's 17 body points are within {worst:.3f} px of the Linux build's"
      + (", the chin too" if linux.get("face") else ""))
PY

# The real window under Wine on a virtual X server, replaying the picture; a screenshot in
# target/windows/window-wine.png.
if [ -n "$xvfb" ]; then
  mkdir -p "$work/frames" "$work/config"
  # 120 frames at 1 a second: still replaying (not finished) while control is tried.
  for i in $(seq -w 1 120); do cp "$root/tests/fixtures/astronaut.png" "$work/frames/f_$i.png"; done
  "$linux" calibrate --source "$root/tests/fixtures/astronaut.png" --out "$work/config/calibration.json" >/dev/null
  printf '{"notifications": false}\n' >"$work/config/settings.json"
  LIBGL_ALWAYS_SOFTWARE=1 wine "$exe" gui --source "$(winepath -w "$work/frames")" \
    --config-dir "$(winepath -w "$work/config")" --data-dir "$(winepath -w "$work/data")" --window-size 900x700 --fps 1 \
    >"$work/window.log" 2>&1 &
  window=$!
  sleep 25
  kill -0 "$window" 2>/dev/null || { echo "the window under Wine exited early:" >&2; cat "$work/window.log" >&2; exit 1; }
  mkdir -p "$root/target/windows"
  import -window root -crop 910x720+0+0 +repage "$root/target/windows/window-wine.png"
  # Control from outside over the named pipe, from other processes, as on Linux over the bus.
  status=$(timeout 30 wine "$exe" status --json | tr -d '\r')
  python3 -c 'import json,sys; s=json.loads(sys.argv[1]); assert s["state"] and s["pid"] > 0, s' "$status" \
    || { echo "status over the pipe said: $status" >&2; exit 1; }
  timeout 30 wine "$exe" pause --for 10m | tr -d '\r' | grep -q "Paused for 10 min" || { echo "pause over the pipe failed" >&2; exit 1; }
  sleep 2
  paused=$(timeout 30 wine "$exe" status --json | tr -d '\r')
  python3 -c 'import json,sys; s=json.loads(sys.argv[1]); assert s["state"] == "paused" and s["paused_until"], s' "$paused" \
    || { echo "after pause, status said: $paused" >&2; exit 1; }
  timeout 30 wine "$exe" resume >/dev/null
  # One monitor at a time: a second start shows the running one's window and ends.
  second=$(timeout 60 wine "$exe" gui | tr -d '\r')
  [[ "$second" == *"already running; its window is open"* ]] || { echo "a second slouchwatch said: $second" >&2; exit 1; }
  kill "$window" 2>/dev/null || true
  wineserver -k 2>/dev/null || true
  wait "$window" 2>/dev/null || true
  if timeout 30 wine "$exe" status >/dev/null 2>&1; then echo "status answered with no monitor running" >&2; exit 1; fi
  echo "control under Wine: status, pause (state paused), resume over the named pipe; a second start handed to the first"

  # Monitoring in the notification-area icon alone, then handed to the window without exec: a
  # second start asks for the window, the icon's process starts the window's and ends.
  LIBGL_ALWAYS_SOFTWARE=1 wine "$exe" gui --background --fps 1 --source "$(winepath -w "$work/frames")" \
    --config-dir "$(winepath -w "$work/config")" --data-dir "$(winepath -w "$work/data")" >"$work/tray.log" 2>&1 &
  sleep 15
  pid_of() { timeout 30 wine "$exe" status --json | tr -d '\r' | python3 -c 'import json,sys; print(json.load(sys.stdin)["pid"])'; }
  tray_pid=$(pid_of) || { echo "the icon's monitor did not answer:" >&2; cat "$work/tray.log" >&2; exit 1; }
  second=$(timeout 60 wine "$exe" gui | tr -d '\r')
  [[ "$second" == *"already running; its window is open"* ]] || { echo "asking the icon for the window said: $second" >&2; exit 1; }
  sleep 15
  window_pid=$(pid_of) || { echo "the window did not take over:" >&2; cat "$work/tray.log" >&2; exit 1; }
  [ "$window_pid" != "$tray_pid" ] || { echo "the icon's process ($tray_pid) still monitors; no window took over" >&2; exit 1; }
  wineserver -k 2>/dev/null || true
  echo "tray under Wine: monitoring in the icon (process $tray_pid), handed to the window (process $window_pid) when asked"

  # The icon's menu, clicked as a person would, in Wine's desktop (which has a taskbar with a
  # notification area) on a screen of its own: Pause pauses, Quit ends the process. The menu
  # opens up and left of the pointer; its rows are 16 px apart below a 24 px header row.
  if command -v xdotool >/dev/null; then
    Xvfb :98 -screen 0 1000x700x24 -nolisten tcp >/dev/null 2>&1 &
    menu_x=$!
    sleep 2
    DISPLAY=:98 LIBGL_ALWAYS_SOFTWARE=1 wine explorer /desktop=slouchwatch,1000x700 "$exe" gui --background --fps 1 \
      --source "$(winepath -w "$work/frames")" --config-dir "$(winepath -w "$work/config")" \
      --data-dir "$(winepath -w "$work/data")" >"$work/menu.log" 2>&1 &
    sleep 15
    state_now() { timeout 30 wine "$exe" status --json | tr -d '\r' | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])'; }
    DISPLAY=:98 xdotool mousemove 990 690 click 3 sleep 2 mousemove 900 541 click 1
    sleep 4
    after_pause=$(state_now || true)
    DISPLAY=:98 import -window root "$root/target/windows/tray-wine.png" 2>/dev/null || true
    [ "$after_pause" = paused ] || { echo "the icon's menu Pause left the state $after_pause (target/windows/tray-wine.png)" >&2; exit 1; }
    DISPLAY=:98 xdotool mousemove 990 690 click 3 sleep 2 mousemove 880 669 click 1
    sleep 6
    if timeout 30 wine "$exe" status >/dev/null 2>&1; then echo "the icon's menu Quit left slouchwatch running" >&2; exit 1; fi
    wineserver -k 2>/dev/null || true
    kill "$menu_x" 2>/dev/null || true
    echo "tray menu under Wine: Pause paused monitoring, Quit ended it"
  else
    echo "tray menu under Wine: not tried (no xdotool: bash scripts/setup-debian.sh --window-test)"
  fi
  spread=$(identify -format '%[fx:standard_deviation]' "$root/target/windows/window-wine.png")
  awk -v spread="$spread" 'BEGIN { exit !(spread > 0.02) }' || { echo "the window under Wine drew nothing" >&2; exit 1; }
  [ -s "$work/data/history.sqlite3" ] || { echo "the window under Wine wrote no history" >&2; cat "$work/window.log" >&2; exit 1; }
  echo "window under Wine: drawn (pixel spread $spread), its history file made; target/windows/window-wine.png"
else
  echo "window under Wine: not tried (no Xvfb: bash scripts/setup-debian.sh --window-test)"
fi

# The installer, silently (/S: the program, the Start-menu entry, no start at login), then the
# installed program, then the uninstaller, which keeps the history.
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -1)
setup="$root/target/windows/slouchwatch-$version-setup.exe"
[ -f "$setup" ] || { echo "package first: bash scripts/package-windows.sh" >&2; exit 1; }
wine "$setup" /S
local_app_data=$(winepath -u "$(wine cmd /c echo %LOCALAPPDATA% | tr -d '\r')")
app_data=$(winepath -u "$(wine cmd /c echo %APPDATA% | tr -d '\r')")
installed="$local_app_data/Programs/slouchwatch"
for file in slouchwatch.exe uninstall.exe models/movenet-thunder.onnx README.txt; do
  [ -f "$installed/$file" ] || { echo "the installer did not put $file in $installed" >&2; exit 1; }
done
start_menu=$(winepath -u "$(wine cmd /c echo %APPDATA% | tr -d '\r')")/Microsoft/Windows/Start\ Menu/Programs
ls "$start_menu"/slouchwatch.lnk >/dev/null || { echo "no Start-menu entry" >&2; exit 1; }
! wine reg query 'HKCU\Software\Microsoft\Windows\CurrentVersion\Run' /v slouchwatch >/dev/null 2>&1 \
  || { echo "start at login was set without being asked for" >&2; exit 1; }
wine reg query 'HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\slouchwatch' /v DisplayVersion | grep -q "$version" \
  || { echo "not listed in Apps & features" >&2; exit 1; }
cp "$shim" "$installed/"
[[ "$(wine "$installed/slouchwatch.exe" --version | tr -d '\r')" == "slouchwatch $version" ]] || { echo "the installed program does not run" >&2; exit 1; }
# From drive C: (the source tree's models/, also on Thunder's list, is on Wine's drive Z:).
cp "$work/astronaut.png" "$WINEPREFIX/drive_c/"
(cd "$WINEPREFIX/drive_c" && wine "$installed/slouchwatch.exe" analyze --model thunder astronaut.png --json) | tr -d '\r' >"$work/thunder.json"
grep -q '"person":true' "$work/thunder.json" || { echo "the installed Thunder model did not run: $(cat "$work/thunder.json")" >&2; exit 1; }
echo "installer: installed in $installed, runs, finds its Thunder model beside it"
mkdir -p "$app_data/slouchwatch/data"
echo "kept" >"$app_data/slouchwatch/data/history-stand-in"
rm "$installed/bcryptprimitives.dll"
wine "$installed/uninstall.exe" /S
# The uninstaller copies itself away and returns at once; wait for it.
for _ in $(seq 100); do [ -d "$installed" ] || break; sleep 0.2; done
[ ! -e "$installed" ] || { echo "the uninstaller left $installed: $(ls -R "$installed")" >&2; exit 1; }
[ ! -e "$start_menu/slouchwatch.lnk" ] || { echo "the uninstaller left the Start-menu entry" >&2; exit 1; }
[ -f "$app_data/slouchwatch/data/history-stand-in" ] || { echo "the uninstaller removed the history" >&2; exit 1; }
echo "uninstaller: the program and its entry gone, the history kept"

# The library's unit tests and the command line's, replay's and report's integration tests, for
# Windows, under Wine (tests of Linux-only means are cfg'd or ignored there, each saying why).
tests_log="$work/tests.log"
started=$(date +%s)
status=0
CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER="$root/scripts/wine/run-with-shim.sh" \
  cargo test --release --locked --target "$target" --no-fail-fast --lib \
  --test cli --test posture_cli --test report --test run_replay >"$tests_log" 2>&1 || status=$?
grep -E "^test result|FAILED|panicked" "$tests_log" || true
if [ "$status" -ne 0 ] || grep -q "^test result: FAILED" "$tests_log"; then
  echo "tests failed under Wine:" >&2; tail -60 "$tests_log" >&2; exit 1
fi
passed=$(awk '/^test result/ { sum += $4 } END { print sum }' "$tests_log")
echo "tests under Wine: $passed passed in $(grep -c '^test result' "$tests_log") test binaries (build and run $(( $(date +%s) - started )) s)"
echo "windows check passed"
