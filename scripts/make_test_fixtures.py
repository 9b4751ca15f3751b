"""Make tests/fixtures/: photos, tiny malformed models and reference keypoints.

Run through scripts/make-test-fixtures.sh. The outputs are committed; tests never run Python.

- astronaut.png: NASA portrait of Eileen Collins (public domain), as scikit-image ships it.
- astronaut-wide.jpg: the same portrait on a wider grey canvas (768x512, JPEG), for letterbox
  mapping of a landscape frame and JPEG decoding.
- astronaut-tall.png: the same portrait on a taller canvas (512x704), for portrait frames.
- coffee.png: a cup of coffee on a table (CC0, Rachel Michetti, via scikit-image): no person.
- wrong-input.onnx / wrong-output.onnx: valid ONNX files that are not shaped like MoveNet.
- reference-keypoints.json: keypoints from onnxruntime on models/movenet-*.onnx, with a
  pre-processing written independently of the Rust one (the same letterbox and exact area
  averaging, but as numpy matrix products), so the Rust pipeline is checked against a second
  implementation, not against itself.
"""

import json
import shutil
import sys
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import skimage
from onnx import TensorProto, helper
from PIL import Image

NAMES = [
    "nose", "left_eye", "right_eye", "left_ear", "right_ear", "left_shoulder", "right_shoulder",
    "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_hip", "right_hip",
    "left_knee", "right_knee", "left_ankle", "right_ankle",
]
MODELS = {"lightning": 192, "thunder": 256}
CANVAS_GREY = (128, 128, 128)


def make_images(skimage_data: Path, out: Path) -> list[str]:
    shutil.copy(skimage_data / "astronaut.png", out / "astronaut.png")
    shutil.copy(skimage_data / "coffee.png", out / "coffee.png")
    astronaut = Image.open(skimage_data / "astronaut.png").convert("RGB")

    wide = Image.new("RGB", (768, 512), CANVAS_GREY)
    wide.paste(astronaut, (0, 0))
    wide.save(out / "astronaut-wide.jpg", quality=95)

    tall = Image.new("RGB", (512, 704), CANVAS_GREY)
    tall.paste(astronaut, (0, 192))
    tall.save(out / "astronaut-tall.png")
    return ["astronaut.png", "astronaut-wide.jpg", "astronaut-tall.png", "coffee.png"]


def make_bad_models(out: Path) -> None:
    wrong_input = helper.make_model(
        helper.make_graph(
            [helper.make_node("Identity", ["input"], ["output"])],
            "wrong_input",
            [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 3, 224, 224])],
            [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 3, 224, 224])],
        ),
        opset_imports=[helper.make_opsetid("", 13)],
    )
    onnx.checker.check_model(wrong_input)
    onnx.save(wrong_input, str(out / "wrong-input.onnx"))

    wrong_output = helper.make_model(
        helper.make_graph(
            [helper.make_node("ReduceMean", ["input"], ["output"], axes=[1, 2], keepdims=0)],
            "wrong_output",
            [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 192, 192, 3])],
            [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 3])],
        ),
        opset_imports=[helper.make_opsetid("", 13)],
    )
    onnx.checker.check_model(wrong_output)
    onnx.save(wrong_output, str(out / "wrong-output.onnx"))


def area_weights(source_len: int, start: float, span: float, size: int) -> np.ndarray:
    """Matrix [size, source_len]: the share of each output pixel's footprint that each source
    pixel covers; footprint parts outside the image (padding) count as black."""
    step = span / size
    weights = np.zeros((size, source_len))
    for i in range(size):
        lo, hi = start + i * step, start + (i + 1) * step
        for p in range(max(0, int(np.floor(lo))), min(source_len, int(np.ceil(hi)))):
            weights[i, p] = max(0.0, min(hi, p + 1) - max(lo, p)) / step
    return weights


def letterbox_input(image: Image.Image, size: int) -> tuple[np.ndarray, float, float, float]:
    """Letterbox (centred, black padding) and exact area averaging, as matrix products."""
    width, height = image.size
    side = max(width, height)
    left, top = (width - side) / 2, (height - side) / 2
    pixels = np.asarray(image, dtype=np.float64)
    rows = area_weights(height, top, side, size)
    columns = area_weights(width, left, side, size)
    small = np.einsum("xw,ywc->yxc", columns, np.einsum("yh,hwc->ywc", rows, pixels))
    return small.astype(np.float32)[None], float(side), float(left), float(top)


def reference(models_dir: Path, out: Path, images: list[str]) -> dict:
    result = {"generated_by": "scripts/make_test_fixtures.py with onnxruntime " + ort.__version__,
              "models": {}}
    for model, size in MODELS.items():
        session = ort.InferenceSession(str(models_dir / f"movenet-{model}.onnx"),
                                       providers=["CPUExecutionProvider"])
        per_image = {}
        for name in images:
            image = Image.open(out / name).convert("RGB")
            tensor, side, left, top = letterbox_input(image, size)
            raw = session.run(["output"], {"input": tensor})[0][0, 0]
            per_image[name] = {
                "width": image.size[0],
                "height": image.size[1],
                "keypoints": {
                    NAMES[i]: {"x": float(left + raw[i, 1] * side),
                               "y": float(top + raw[i, 0] * side),
                               "score": float(raw[i, 2])}
                    for i in range(17)
                },
            }
        result["models"][model] = per_image
    return result


def main() -> None:
    root = Path(sys.argv[1])
    out = root / "tests" / "fixtures"
    out.mkdir(parents=True, exist_ok=True)
    images = make_images(Path(skimage.__file__).parent / "data", out)
    make_bad_models(out)
    ref = reference(root / "models", out, images)
    (out / "reference-keypoints.json").write_text(json.dumps(ref, indent=1) + "\n")
    for model, per_image in ref["models"].items():
        for name, entry in per_image.items():
            shown = {k: (round(v["x"]), round(v["y"]), round(v["score"], 2))
                     for k, v in entry["keypoints"].items() if k in NAMES[:7]}
            print(model, name, shown, file=sys.stderr)


if __name__ == "__main__":
    main()
