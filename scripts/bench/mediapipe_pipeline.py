"""MediaPipe Pose (lite or full) in Python, as postured and BatesPosture run it: OpenCV decode,
`mediapipe.solutions.pose` in video mode (tracking between frames). Prints one JSON line.

    python mediapipe_pipeline.py lite|full FRAME_DIR [--repeat N]

mediapipe 0.10.14's wheel has no lite landmark model; bench-compare.sh copies
`pose_landmark_lite.tflite` from the npm package `@mediapipe/pose` into the installed package."""
import json
import os
import resource
import sys
import time

import cv2
import mediapipe as mp
import numpy as np


def main():
    variant, folder = sys.argv[1], sys.argv[2]
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 1
    files = sorted(f for f in os.listdir(folder) if f.lower().endswith((".jpg", ".jpeg", ".png")))
    frames = [open(os.path.join(folder, f), "rb").read() for f in files]
    pose = mp.solutions.pose.Pose(static_image_mode=False, model_complexity=0 if variant == "lite" else 1)

    def run(data):
        image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
        return pose.process(cv2.cvtColor(image, cv2.COLOR_BGR2RGB))

    run(frames[0])
    found = 0
    cpu0, wall0 = time.process_time(), time.perf_counter()
    count = 0
    for _ in range(repeat):
        for data in frames:
            result = run(data)
            found += result.pose_landmarks is not None
            count += 1
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"pipeline": f"MediaPipe Pose {variant} {mp.__version__} (Python)", "frames": count,
                      "cpu_ms": 1000 * cpu / count, "wall_ms": 1000 * wall / count,
                      "peak_rss_mb": peak_kb / 1024, "found": found}))


if __name__ == "__main__":
    main()
