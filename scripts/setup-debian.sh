#!/usr/bin/env bash
# Install the Debian packages slouchwatch needs to build (and, with --window-test, to run the
# window smoke test headless). Safe to run again.
# Rust itself (1.95 or newer) comes from rustup: https://rustup.rs
set -euo pipefail
# build-essential: C compiler for SQLite (bundled) and other -sys crates.
# libclang-dev: the webcam bindings (v4l2-sys-mit, under the v4l crate) generate their FFI with bindgen.
# strace: the test that checks slouchwatch opens no network socket watches its system calls.
# dbus: the control test runs a private session bus (dbus-daemon) and watches it (dbus-monitor).
# desktop-file-utils: the test of the login entry checks it with desktop-file-validate.
# libturbojpeg0-dev: libjpeg-turbo, the JPEG decoder for camera frames and photos.
# pulseaudio-utils: pactl, how slouchwatch sees a call recording from a microphone (it speaks to
# PipeWire's pulse layer as well as to PulseAudio).
packages=(build-essential pkg-config libclang-dev libturbojpeg0-dev strace dbus desktop-file-utils pulseaudio-utils)
# --tests: what the test suite needs beyond the build: a PulseAudio server, run by the tests in a
# private folder to record from (not installed for running the app: a desktop with PipeWire has
# its own sound server).
# --window-test: what the headless window smoke test needs (a virtual X server, Mesa's software
# OpenGL, the X libraries the window loads, ImageMagick for the screenshot, and xprop to play a
# window manager's fullscreen window).
# --report-check: headless Chromium and pdfinfo for scripts/report-screenshot.sh.
# --package-check: what scripts/package-check.sh needs to build and inspect the .deb (dpkg-dev
# for cargo-deb's dependency search, lintian, appstream's validator, bc for the sizes).
# --windows: the Windows cross-build and its checks (scripts/build-windows.sh,
# scripts/windows-check.sh): mingw-w64's C compiler and linker, Wine to run the .exe and its
# tests, NSIS for the installer, zip for the portable archive; and Rust's Windows target.
for option in "$@"; do
  case "$option" in
    --tests)
      packages+=(pulseaudio) ;;
    --window-test)
      packages+=(xvfb xauth xdotool x11-utils imagemagick libgl1-mesa-dri libegl1 libgl1 libxkbcommon-x11-0 libxcursor1 libxrandr2 libxi6) ;;
    --report-check)
      packages+=(chromium poppler-utils) ;;
    --package-check)
      packages+=(dpkg-dev lintian appstream bc) ;;
    --windows)
      packages+=(gcc-mingw-w64-x86-64 wine wine64 nsis zip unzip) ;;
    *)
      echo "unknown option $option (known: --tests, --window-test, --report-check, --package-check, --windows)" >&2
      exit 2 ;;
  esac
done

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null; then
  echo "cargo not found: install Rust 1.95 or newer with rustup (https://rustup.rs), then run this again." >&2
  exit 1
fi

if [[ " $* " == *" --windows "* ]]; then
  rustup target add x86_64-pc-windows-gnu
fi
