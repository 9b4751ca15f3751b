#!/usr/bin/env python3
"""Where the release binary's bytes go: its sections, and its code by crate (from the symbol
table, so run it on the unstripped target/release/slouchwatch). Build-time only.
    python3 scripts/binary-size.py [BINARY]"""
import collections
import re
import subprocess
import sys

binary = sys.argv[1] if len(sys.argv) > 1 else "target/release/slouchwatch"

sections = subprocess.run(["size", "-A", binary], capture_output=True, text=True, check=True).stdout
print("section            MB")
for line in sections.splitlines():
    parts = line.split()
    if len(parts) >= 2 and parts[0].startswith(".") and parts[1].isdigit() and int(parts[1]) > 500_000:
        print(f"{parts[0]:<18} {int(parts[1]) / 1e6:5.1f}")

symbols = subprocess.run(["nm", "-C", "--size-sort", "--print-size", binary], capture_output=True, text=True).stdout
by_crate = collections.Counter()
for line in symbols.splitlines():
    parts = line.split(None, 3)
    if len(parts) < 4 or parts[2] not in "tTrRdDbB":
        continue
    size, kind, name = int(parts[1], 16), parts[2], parts[3]
    name = re.sub(r"^<(?:impl )?", "", name).lstrip("&*")
    match = re.match(r"([A-Za-z_][A-Za-z0-9_]*)::", name)
    crate = match.group(1) if match else ("(C: SQLite, libc shims...)" if kind in "tT" else "(data)")
    section = "code" if kind in "tT" else "data"
    by_crate[(crate, section)] += size
print()
print("largest by crate       MB  (symbols from the unstripped binary)")
for (crate, section), size in by_crate.most_common(18):
    print(f"{crate:<22} {size / 1e6:5.1f}  {section}")
