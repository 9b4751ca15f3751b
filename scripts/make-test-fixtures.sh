#!/usr/bin/env bash
# Rebuild tests/fixtures/ (photos, malformed models, onnxruntime reference keypoints).
# Nobody needs this to build or test slouchwatch: its output is committed. Needs python3.11.
#   bash scripts/make-test-fixtures.sh [VENV_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
venv=${1:-"$root/target/fixtures-venv"}
if [ ! -x "$venv/bin/python" ]; then
  python3.11 -m venv "$venv"
fi
"$venv/bin/pip" install -q "numpy<2" "onnx==1.17.0" "onnxruntime==1.26.0" "scikit-image==0.26.0" "pillow==13.0.0"
"$venv/bin/python" "$here/make_test_fixtures.py" "$root"
