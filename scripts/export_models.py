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
5. Rewrite two spots that tract runs slowly, computing the same numbers (`rewrite_for_tract`):
   a. a constant operand of an element-wise op that holds one value repeated (the input
      normalisation multiplies by [1,1,1,3] of three equal values) becomes that one value, a
      scalar: tract folds a scalar into the next operation, but runs a broadcast [1,1,1,3]
      as a generic op of its own over the whole input (about 1 ms a frame);
   b. each Resize (the feature pyramid's 2x bilinear upsampling) runs channel-last between two
      Transposes: tract's resize loops over the innermost axis one element at a time, which is
      the width (48 at most) channel-first but the channels channel-last, and the Transposes
      let tract keep the convolutions around it channel-last too (src/pose/layout.rs).
6. Check that the rewritten model gives exactly the outputs of the one before (onnxruntime, the
   final output and the four heads slouchwatch decodes itself, on random images).

`python export_models.py --rewrite MODEL_DIR` runs steps 5-6 alone on the committed files (the
rewrite leaves an already rewritten model as it is).
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
from onnx import helper, numpy_helper

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


# The head outputs slouchwatch decodes itself (src/pose/model.rs HEAD_OUTPUTS): node names, whose
# first output is the head; the rewrite must keep them and their values.
HEAD_NODES = [
    "StatefulPartitionedCall/Sigmoid_1",
    "StatefulPartitionedCall/kpt_regress_0/conv2d_6/BiasAdd_BiasAdd__111",
    "StatefulPartitionedCall/Sigmoid",
    "StatefulPartitionedCall/kpt_offset_0/conv2d_7/BiasAdd_BiasAdd__113",
]
ELEMENT_WISE = ("Add", "Sub", "Mul", "Div")


def rewrite_for_tract(src: Path, out: Path) -> tuple[int, int]:
    """Step 5; returns (constants made scalar, resizes made channel-last)."""
    model = onnx.load(str(src))
    graph = model.graph
    inits = {init.name: init for init in graph.initializer}

    scalars = 0
    for node in graph.node:
        if node.op_type not in ELEMENT_WISE:
            continue
        for slot, name in enumerate(node.input):
            init = inits.get(name)
            if init is None:
                continue
            value = numpy_helper.to_array(init)
            # Only a single non-unit axis (a per-channel constant), so the other operand, the
            # 4-D image, decides the output's shape either way.
            if value.size < 2 or sum(dim != 1 for dim in value.shape) != 1:
                continue
            if not np.all(value == value.flat[0]):
                continue
            scalar_name = f"{name}__scalar"
            if scalar_name not in inits:
                scalar = numpy_helper.from_array(np.array(value.flat[0], dtype=value.dtype), scalar_name)
                graph.initializer.append(scalar)
                inits[scalar_name] = scalar
            node.input[slot] = scalar_name
            scalars += 1

    resizes = 0
    nodes = list(graph.node)
    rewritten = []
    for node in nodes:
        scales = inits.get(node.input[2]) if node.op_type == "Resize" and len(node.input) >= 3 else None
        if scales is None:
            rewritten.append(node)
            continue
        factors = numpy_helper.to_array(scales)
        if factors.shape != (4,) or factors[0] != 1 or factors[1] != 1:
            rewritten.append(node)  # already channel-last, or not a plain NCHW resize
            continue
        last_name = f"{node.input[2]}__channel_last"
        if last_name not in inits:
            last = numpy_helper.from_array(factors[[0, 2, 3, 1]].astype(factors.dtype), last_name)
            graph.initializer.append(last)
            inits[last_name] = last
        into = f"{node.name}__to_channel_last"
        resized = f"{node.name}__channel_last"
        rewritten.append(helper.make_node("Transpose", [node.input[0]], [into + ":0"], name=into, perm=[0, 2, 3, 1]))
        inner = helper.make_node("Resize", [into + ":0", node.input[1], last_name], [resized + ":0"], name=resized)
        inner.attribute.extend(node.attribute)
        rewritten.append(inner)
        back = helper.make_node("Transpose", [resized + ":0"], list(node.output), name=node.name, perm=[0, 3, 1, 2])
        rewritten.append(back)
        resizes += 1
    del graph.node[:]
    graph.node.extend(rewritten)

    used = {name for node in graph.node for name in node.input}
    for init in [init for init in graph.initializer if init.name not in used]:
        graph.initializer.remove(init)
    onnx.checker.check_model(model)
    onnx.save(model, str(out))
    return scalars, resizes


def with_head_outputs(path: Path) -> bytes:
    """The model at `path` with its four head tensors as extra graph outputs (for comparing)."""
    model = onnx.load(str(path))
    heads = {node.name: node.output[0] for node in model.graph.node if node.name in HEAD_NODES}
    assert len(heads) == len(HEAD_NODES), f"head nodes missing: {set(HEAD_NODES) - set(heads)}"
    for name in HEAD_NODES:
        model.graph.output.append(helper.make_empty_tensor_value_info(heads[name]))
    return model.SerializeToString()


def check_rewrite(before: Path, after: Path, size: int) -> float:
    """Step 6: the largest difference between the two models' outputs (must be 0)."""
    rng = np.random.default_rng(11)
    old = ort.InferenceSession(with_head_outputs(before), providers=["CPUExecutionProvider"])
    new = ort.InferenceSession(with_head_outputs(after), providers=["CPUExecutionProvider"])
    worst = 0.0
    for _ in range(4):
        image = rng.uniform(0, 255, size=(1, size, size, 3)).astype(np.float32)
        for want, got in zip(old.run(None, {"input": image}), new.run(None, {"input": image})):
            assert want.shape == got.shape, (want.shape, got.shape)
            worst = max(worst, float(np.abs(want - got).max()))
    return worst


def rewrite_in_place(model_dir: Path, name: str, size: int) -> None:
    path = model_dir / f"movenet-{name}.onnx"
    with tempfile.TemporaryDirectory() as tmp:
        before = Path(tmp) / "before.onnx"
        shutil.copy(path, before)
        scalars, resizes = rewrite_for_tract(before, path)
        diff = check_rewrite(before, path, size)
    print(f"{name}: {scalars} constants made scalar, {resizes} resizes channel-last; "
          f"max |rewritten - before| = {diff:.2e}", file=sys.stderr)
    assert diff == 0.0, f"{name}: the rewrite changed the outputs by {diff}"


def main() -> None:
    if sys.argv[1] == "--rewrite":
        for name, size in MODELS.items():
            rewrite_in_place(Path(sys.argv[2]), name, size)
        return
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
            rewrite_in_place(out_dir, name, size)


if __name__ == "__main__":
    main()
