#!/usr/bin/env bash
# Endurance check: replays an 8-hour working day (57,600 frames of virtual time) through
# `slouchwatch run` with the real model and history, sampling the process from /proc as it runs.
# Fails if memory grows, file handles or threads leak, or the day's report does not add up to the
# replayed time. Prints the numbers. About two minutes after the build on a 2-core machine.
#   bash scripts/soak.sh
set -euo pipefail
cd "$(dirname "$0")/.."
log=target/soak.log
mkdir -p target
if cargo test --release --locked --test soak -- --ignored --nocapture >"$log" 2>&1; then
  grep -E "^(soak|run):|test result" "$log"
else
  tail -40 "$log"
  exit 1
fi
