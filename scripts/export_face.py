"""Convert MediaPipe's Face Mesh landmark model (TFLite) to models/face-landmarks.onnx.

Run through scripts/export-models.sh, which prepares the pinned Python environment and takes the
model out of the PyPI wheel mediapipe==0.10.14 (Apache-2.0; the 1.x wheels ship no models and
fetch them at run time). Nobody needs to run this to build or use slouchwatch: the result is
committed.

Steps:
1. Convert `mediapipe/modules/face_landmark/face_landmark.tflite` with tf2onnx (opset 13).
2. Rename the input to `input` (float32 [1,192,192,3], NHWC, RGB scaled to 0..1) and the two
   outputs to `landmarks` ([1,1,1,1404]: 468 points of x, y, z in input pixels; z is depth,
   smaller nearer the camera, on the x scale) and `face_flag` ([1,1,1,1]: a logit, a face is
   there when its sigmoid is high).
3. Rewrite the same spots for tract as the MoveNet export does, where any apply
   (`export_models.rewrite_for_tract`: per-channel constants holding one value become scalars),
   and each PRelu as Relu(x) + slope * (x - Relu(x)), the same numbers: tract runs PRelu as a
   comparison, a select and a multiply, each a generic pass over the feature map (the
   comparison alone took a fifth of the network's time), and the rewritten form as a cheap
   max-with-zero and one fused pass (`rewrite_prelu`). onnxruntime gives exactly the same
   outputs before and after (checked here).
4. Check the final ONNX against the TFLite original on random crops (TFLite's interpreter from
   tensorflow-cpu): the largest difference is printed and must stay under 1e-3.

    python export_face.py MEDIAPIPE_WHEEL_DIR MODEL_DIR
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort

from onnx import helper

from export_models import rewrite_for_tract

SIZE = 192
TFLITE = "mediapipe/modules/face_landmark/face_landmark.tflite"
OUT_NAME = "face-landmarks.onnx"
MAX_DIFFERENCE = 1e-3


def convert(tflite: Path, raw_onnx: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "tf2onnx.convert", "--tflite", str(tflite),
         "--opset", "13", "--output", str(raw_onnx)],
        check=True,
    )


def rename(raw_onnx: Path, out: Path) -> None:
    model = onnx.load(str(raw_onnx))
    graph = model.graph
    assert len(graph.input) == 1 and len(graph.output) == 2, "expected one input and two outputs"
    names = {graph.input[0].name: "input"}
    for output in graph.output:
        size = np.prod([d.dim_value for d in output.type.tensor_type.shape.dim])
        names[output.name] = "landmarks" if size == 468 * 3 else "face_flag"
    assert sorted(names.values()) == ["face_flag", "input", "landmarks"], names
    for node in graph.node:
        for i, name in enumerate(node.input):
            node.input[i] = names.get(name, name)
        for i, name in enumerate(node.output):
            node.output[i] = names.get(name, name)
    for value in list(graph.input) + list(graph.output):
        value.name = names[value.name]
    model.producer_name = "slouchwatch scripts/export_face.py (tf2onnx 1.16.1)"
    onnx.checker.check_model(model)
    onnx.save(model, str(out))


def rewrite_prelu(src: Path, out: Path) -> int:
    """Step 3's PRelu rewrite; returns how many were rewritten."""
    model = onnx.load(str(src))
    graph = model.graph
    nodes = []
    rewritten = 0
    for node in graph.node:
        if node.op_type != "PRelu":
            nodes.append(node)
            continue
        x, slope = node.input
        y = node.output[0]
        nodes += [
            helper.make_node("Relu", [x], [y + "__positive"], name=node.name + "__positive"),
            helper.make_node("Sub", [x, y + "__positive"], [y + "__negative"], name=node.name + "__negative"),
            helper.make_node("Mul", [y + "__negative", slope], [y + "__sloped"], name=node.name + "__sloped"),
            helper.make_node("Add", [y + "__positive", y + "__sloped"], [y], name=node.name),
        ]
        rewritten += 1
    del graph.node[:]
    graph.node.extend(nodes)
    onnx.checker.check_model(model)
    onnx.save(model, str(out))
    return rewritten


def check_same_outputs(before: Path, after: Path) -> float:
    """The largest difference between two graphs' outputs on random crops (onnxruntime)."""
    rng = np.random.default_rng(9)
    old = ort.InferenceSession(str(before), providers=["CPUExecutionProvider"])
    new = ort.InferenceSession(str(after), providers=["CPUExecutionProvider"])
    worst = 0.0
    for _ in range(4):
        crop = rng.random((1, SIZE, SIZE, 3), dtype=np.float32)
        for want, got in zip(old.run(None, {"input": crop}), new.run(None, {"input": crop})):
            worst = max(worst, float(np.abs(want - got).max()))
    return worst


def check_against_tflite(tflite: Path, final: Path) -> float:
    import tensorflow as tf

    interpreter = tf.lite.Interpreter(model_path=str(tflite))
    interpreter.allocate_tensors()
    session = ort.InferenceSession(str(final), providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(5)
    worst = 0.0
    for _ in range(4):
        crop = rng.random((1, SIZE, SIZE, 3), dtype=np.float32)
        interpreter.set_tensor(interpreter.get_input_details()[0]["index"], crop)
        interpreter.invoke()
        want = {d["shape"][-1]: interpreter.get_tensor(d["index"]) for d in interpreter.get_output_details()}
        landmarks, flag = session.run(["landmarks", "face_flag"], {"input": crop})
        worst = max(worst, float(np.abs(want[1404].reshape(-1) - landmarks.reshape(-1)).max()))
        worst = max(worst, float(np.abs(want[1].reshape(-1) - flag.reshape(-1)).max()))
    return worst


def main() -> None:
    wheel_dir = Path(sys.argv[1])
    out_dir = Path(sys.argv[2])
    tflite = wheel_dir / TFLITE
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        raw = tmp / "raw.onnx"
        convert(tflite, raw)
        renamed = tmp / "renamed.onnx"
        rename(raw, renamed)
        final = out_dir / OUT_NAME
        scalars, resizes = rewrite_for_tract(renamed, tmp / "scalars.onnx")
        prelus = rewrite_prelu(tmp / "scalars.onnx", final)
        same = check_same_outputs(renamed, final)
        diff = check_against_tflite(tflite, final)
    print(f"face landmarks: wrote {final} ({final.stat().st_size} bytes), {scalars} constants made "
          f"scalar, {resizes} resizes channel-last, {prelus} PRelu rewritten (max |rewritten - "
          f"converted| = {same:.2e}); max |onnx - tflite| = {diff:.2e}", file=sys.stderr)
    assert same == 0.0, f"the rewrite changed the outputs by {same}"
    assert diff < MAX_DIFFERENCE, f"the converted face model differs from TFLite by {diff}"


if __name__ == "__main__":
    main()
