#!/usr/bin/env bash
# Checks the Windows build under Wine (run by .ci/run after scripts/build-windows.sh):
#  - slouchwatch.exe --version runs;
#  - analyze on tests/fixtures/astronaut.png finds the same body points and chin as the Linux
#    build (within 1 px): the same models and the same arithmetic, compiled for Windows;
#  - the library's unit tests, built for Windows and run under Wine.
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
trap 'wineserver -k 2>/dev/null || true; rm -rf "$work"' EXIT
export WINEPREFIX="$work/prefix" WINEDEBUG=-all
# The stand-in DLL beside the .exe before Wine's own; no Mono or Gecko installer prompts.
export WINEDLLOVERRIDES="bcryptprimitives=n,b;mscoree=;mshtml="
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
if command -v Xvfb >/dev/null; then
  mkdir -p "$work/frames" "$work/config"
  for i in $(seq -w 1 40); do cp "$root/tests/fixtures/astronaut.png" "$work/frames/f_$i.png"; done
  "$linux" calibrate --source "$root/tests/fixtures/astronaut.png" --out "$work/config/calibration.json" >/dev/null
  printf '{"notifications": false}\n' >"$work/config/settings.json"
  Xvfb :97 -screen 0 1000x800x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb=$!
  sleep 2
  DISPLAY=:97 LIBGL_ALWAYS_SOFTWARE=1 wine "$exe" gui --source "$(winepath -w "$work/frames")" \
    --config-dir "$(winepath -w "$work/config")" --data-dir "$(winepath -w "$work/data")" --window-size 900x700 \
    >"$work/window.log" 2>&1 &
  window=$!
  sleep 25
  kill -0 "$window" 2>/dev/null || { echo "the window under Wine exited early:" >&2; cat "$work/window.log" >&2; exit 1; }
  mkdir -p "$root/target/windows"
  DISPLAY=:97 import -window root -crop 910x720+0+0 +repage "$root/target/windows/window-wine.png"
  kill "$window" 2>/dev/null || true
  wineserver -k 2>/dev/null || true
  kill "$xvfb" 2>/dev/null || true
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

# The library's unit tests, for Windows, under Wine.
tests_log="$work/tests.log"
started=$(date +%s)
CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER="$root/scripts/wine/run-with-shim.sh" \
  cargo test --release --locked --target "$target" --lib 2>&1 | tee "$tests_log" | grep -E "^test result|FAILED|panicked" || true
grep -q "^test result: ok" "$tests_log" || { echo "the library's tests failed under Wine:" >&2; tail -40 "$tests_log" >&2; exit 1; }
echo "library tests under Wine: $(grep '^test result' "$tests_log" | head -1) (build and run $(( $(date +%s) - started )) s)"
echo "windows check passed"
