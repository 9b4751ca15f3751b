#!/usr/bin/env bash
# Builds the Debian package with `cargo deb` from the release build, inspects it (contents,
# lintian, desktop-file-validate, appstreamcli), installs it with dpkg, runs the installed
# slouchwatch, and removes it again, checking nothing is left behind. Prints the sizes of the
# packaged binary and of the .deb. Run by .ci/run after the tests (as root: it installs).
#   bash scripts/package-check.sh   (needs: bash scripts/setup-debian.sh --package-check)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
[ "$(id -u)" = 0 ] || { echo "run as root (it installs the package with dpkg)" >&2; exit 1; }
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)

# The packager, pinned so the package does not change under us.
CARGO_DEB_VERSION=3.6.2
if ! cargo deb --version 2>/dev/null | grep -q "$CARGO_DEB_VERSION"; then
  cargo install cargo-deb --version "$CARGO_DEB_VERSION" --locked --quiet
fi

echo "== cargo deb (from the release build the tests used)"
[ -x target/release/slouchwatch ] || cargo build --release --locked
# --strip: without it cargo-deb keeps the release profile's line tables (76 MB instead of 50 MB).
# The README's command passes it too; tests/cli.rs checks that both do.
deb=$(cargo deb --no-build --strip --locked --output target/debian/ 2>&1 | tail -1)
[ -f "$deb" ] || { echo "cargo deb made no package: $deb" >&2; exit 1; }
echo "package: $deb"

echo "== contents"
dpkg-deb --info "$deb" | sed -n '/Package:/,$p'
dpkg-deb --contents "$deb" | awk '{ print $6 }' | tee target/debian/contents.txt
for path in ./usr/bin/slouchwatch ./usr/share/applications/io.github.slouchwatch.desktop \
  ./usr/share/metainfo/io.github.slouchwatch.metainfo.xml \
  ./usr/share/icons/hicolor/256x256/apps/io.github.slouchwatch.png \
  ./usr/share/icons/hicolor/scalable/apps/io.github.slouchwatch.svg \
  ./usr/share/doc/slouchwatch/copyright ./usr/share/doc/slouchwatch/models/README.md; do
  grep -qx "$path" target/debian/contents.txt || { echo "missing from the package: $path" >&2; exit 1; }
done

echo "== lintian (errors fail)"
lintian --no-tag-display-limit --suppress-tags-from-file /dev/null "$deb" | tee target/debian/lintian.txt || true
if grep -q '^E:' target/debian/lintian.txt; then echo "lintian found errors" >&2; exit 1; fi

echo "== install"
dpkg -i "$deb"
dpkg -L slouchwatch | sort > target/debian/installed.txt
installed_version=$(/usr/bin/slouchwatch --version)
[ "$installed_version" = "slouchwatch $version" ] || { echo "installed --version says '$installed_version'" >&2; exit 1; }
echo "installed: $installed_version"
/usr/bin/slouchwatch analyze tests/fixtures/astronaut.png
# The precise model is read from where the package put it (not from this source tree).
strace -f -qq -e trace=openat -o target/debian/thunder.strace \
  /usr/bin/slouchwatch analyze --model thunder tests/fixtures/astronaut.png >/dev/null
grep -q '/usr/bin/../share/slouchwatch/models/movenet-thunder.onnx' target/debian/thunder.strace ||
  { echo "the installed slouchwatch did not read the installed Thunder model" >&2; exit 1; }
desktop-file-validate /usr/share/applications/io.github.slouchwatch.desktop
appstreamcli validate --no-net /usr/share/metainfo/io.github.slouchwatch.metainfo.xml

binary_bytes=$(stat -c %s /usr/bin/slouchwatch)
deb_bytes=$(stat -c %s "$deb")
printf 'packaged binary: %.1f MB (%s bytes); .deb: %.1f MB (%s bytes)\n' \
  "$(echo "$binary_bytes / 1000000" | bc -l)" "$binary_bytes" "$(echo "$deb_bytes / 1000000" | bc -l)" "$deb_bytes"

echo "== remove"
dpkg -r slouchwatch
left=0
while read -r path; do
  # Folders shared with other packages stay; every file of ours must be gone.
  if [ -e "$path" ] && [ ! -d "$path" ]; then echo "left behind: $path" >&2; left=1; fi
done < target/debian/installed.txt
[ "$left" = 0 ] || exit 1
dpkg -s slouchwatch >/dev/null 2>&1 && { echo "still installed" >&2; exit 1; }
echo "package check passed"
