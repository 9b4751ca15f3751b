"""The onnxruntime pipeline the comparison measures: the same MoveNet ONNX model slouchwatch
embeds, run the way a Python posture monitor would (OpenCV JPEG decode, letterbox + area resize,
onnxruntime on one thread). Prints one JSON line: frames, CPU and wall ms per frame, peak RSS.

    python ort_pipeline.py MODEL.onnx FRAME_DIR [--repeat N]

Frames are read into memory first, so disk time is not measured (as for slouchwatch)."""
import json
import os
import resource
import sys
import time

import cv2
import numpy as np
import onnxruntime as ort


def letterbox(image, size):
    height, width = image.shape[:2]
    scale = size / max(height, width)
    new_w, new_h = max(1, round(width * scale)), max(1, round(height * scale))
    resized = cv2.resize(image, (new_w, new_h), interpolation=cv2.INTER_AREA)
    canvas = np.zeros((size, size, 3), dtype=np.uint8)
    top, left = (size - new_h) // 2, (size - new_w) // 2
    canvas[top:top + new_h, left:left + new_w] = resized
    return canvas


def main():
    model, folder = sys.argv[1], sys.argv[2]
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 1
    files = sorted(f for f in os.listdir(folder) if f.lower().endswith((".jpg", ".jpeg", ".png")))
    frames = [open(os.path.join(folder, f), "rb").read() for f in files]
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    session = ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
    size = session.get_inputs()[0].shape[1]
    name = session.get_inputs()[0].name
    input_type = session.get_inputs()[0].type
    # One warm-up frame, not counted.
    def run(data):
        image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
        image = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
        tensor = letterbox(image, size)[None]
        tensor = tensor.astype(np.int32 if "int32" in input_type else np.float32)
        keypoints = session.run(None, {name: tensor})[0]
        return keypoints
    run(frames[0])
    cpu0, wall0 = time.process_time(), time.perf_counter()
    count = 0
    for _ in range(repeat):
        for data in frames:
            run(data)
            count += 1
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"pipeline": "onnxruntime " + ort.__version__ + " + MoveNet Lightning (Python, 1 thread)",
                      "frames": count, "cpu_ms": 1000 * cpu / count, "wall_ms": 1000 * wall / count,
                      "peak_rss_mb": peak_kb / 1024}))


if __name__ == "__main__":
    main()
