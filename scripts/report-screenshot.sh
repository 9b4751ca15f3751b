#!/usr/bin/env bash
# Renders the HTML report of a month of sample history in headless Chromium: a screenshot to look
# at, and a print to PDF that must fit on one page. Needs Debian's `chromium` and `poppler-utils`
# (bash scripts/setup-debian.sh --report-check installs them).
#   bash scripts/report-screenshot.sh [OUT_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-"$root/target/report-check"}
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root"
cargo build --release --quiet --bin slouchwatch --example sample_history
./target/release/examples/sample_history "$work/data" 30 2026-11-20 >/dev/null
for period in "" --week; do
  name=day${period:+-week}
  ./target/release/slouchwatch report --data-dir "$work/data" --date 2026-11-20 $period --format html \
    --out "$out/$name.html" 2>/dev/null
  # No network: the page must not need it.
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=800,1500 \
    --screenshot="$out/$name.png" "file://$out/$name.html" >/dev/null 2>&1
  chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
    --print-to-pdf="$out/$name.pdf" "file://$out/$name.html" >/dev/null 2>&1
  pages=$(pdfinfo "$out/$name.pdf" | awk '/^Pages:/ { print $2 }')
  echo "$name: $out/$name.png, $out/$name.pdf ($pages page(s))"
  [ "$pages" = 1 ] || { echo "the $name report does not print on one page" >&2; exit 1; }
done
