#!/usr/bin/env bash
# Side-by-side cost per analysed frame: slouchwatch against the same MoveNet Lightning model in
# onnxruntime (Python) and MediaPipe Pose lite and full (Python), on the same 1920x1080 JPEG
# frames, in alternating rounds. Prints CPU ms per frame, wall ms per frame and peak RSS (medians
# over the rounds) and the ratios, as one Markdown table.
#   bash scripts/bench-compare.sh [FRAME_DIR] [ROUNDS]
# Python and its packages live in target/bench-venv (PyPI), the MediaPipe lite model comes from
# the npm package @mediapipe/pose; none of it is needed to build or run slouchwatch.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
frames=${1:-target/bench-frames}
rounds=${2:-3}
venv=${BENCH_VENV:-target/bench-venv}
[ -d "$frames" ] || bash scripts/bench/make-frames.sh "$frames" 30
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q onnxruntime==1.31.1 opencv-python-headless numpy mediapipe==0.10.14
fi
site=$("$venv/bin/python" -c 'import mediapipe, os; print(os.path.dirname(mediapipe.__file__))')
lite="$site/modules/pose_landmark/pose_landmark_lite.tflite"
if [ ! -f "$lite" ]; then
  npm_dir=$(mktemp -d)
  (cd "$npm_dir" && npm pack --silent @mediapipe/pose >/dev/null && tar xzf mediapipe-pose-*.tgz)
  cp "$npm_dir/package/pose_landmark_lite.tflite" "$lite"
  rm -rf "$npm_dir"
fi
cargo build --release --quiet --example frame_cost
results=$(mktemp)
for round in $(seq 1 "$rounds"); do
  echo "round $round of $rounds" >&2
  ./target/release/examples/frame_cost "$frames" --repeat 3 >>"$results"
  "$venv/bin/python" scripts/bench/ort_pipeline.py models/movenet-lightning.onnx "$frames" --repeat 3 >>"$results"
  "$venv/bin/python" scripts/bench/mediapipe_pipeline.py lite "$frames" --repeat 3 2>/dev/null >>"$results"
  "$venv/bin/python" scripts/bench/mediapipe_pipeline.py full "$frames" --repeat 3 2>/dev/null >>"$results"
done
python3 - "$results" "$(nproc)" "$(lscpu | sed -n 's/^Model name: *//p')" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
by = {}
for row in rows:
    by.setdefault(row["pipeline"], []).append(row)
med = {name: {k: statistics.median(r[k] for r in runs) for k in ("cpu_ms", "wall_ms", "peak_rss_mb")} for name, runs in by.items()}
ort = next(v for k, v in med.items() if k.startswith("onnxruntime"))
lite = next(v for k, v in med.items() if "lite" in k)
print(f"Machine: {sys.argv[3]}, {sys.argv[2]} cores; 1920x1080 JPEG frames; medians of {len(next(iter(by.values())))} rounds.\n")
print("| pipeline per analysed frame | CPU ms | wall ms | peak RSS MB | CPU vs onnxruntime | CPU vs MediaPipe lite |")
print("|---|---|---|---|---|---|")
for name, v in med.items():
    print(f"| {name} | {v['cpu_ms']:.1f} | {v['wall_ms']:.1f} | {v['peak_rss_mb']:.0f} | {v['cpu_ms'] / ort['cpu_ms']:.2f}x | {v['cpu_ms'] / lite['cpu_ms']:.2f}x |")
PY
rm -f "$results"
