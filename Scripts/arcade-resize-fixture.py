#!/usr/bin/env python3
"""Exact area-average (OpenCV INTER_AREA) of a 210x160 test picture to 84x84, for
Tests/EnvironmentsTests/AtariPreprocessingTests.swift.

Rerun: python3 Scripts/arcade-resize-fixture.py   (needs numpy; writes
Tests/EnvironmentsTests/Fixtures/area-resize-210x160-to-84x84.json)

Independent of the Swift resampler's tap arithmetic: every source pixel is replicated 84x84
times, so each output pixel is an integer block sum of 210x160 replicated pixels divided by
33600, rounded to nearest with ties to even (OpenCV's saturate_cast).
"""
import json
import os

import numpy as np

rng = np.random.RandomState(0)
h, w, out = 210, 160, 84
# A picture with structure at every scale: random blocks, stripes, and noise.
img = np.repeat(np.repeat(rng.randint(0, 256, (21, 16)), 10, 0), 10, 1)
img[:, ::3] = 255
img[100:140, :] = rng.randint(0, 256, (40, w))
img = img.astype(np.int64)
rows = np.repeat(img, out, axis=0).reshape(out, h, w).sum(1)          # [84, 160], sums of 210 rows
sums = np.repeat(rows, out, axis=1).reshape(out, out, w).sum(2)       # [84, 84], sums of 210x160
expected = np.rint(sums / (h * w)).astype(np.uint8)
path = os.path.join(os.path.dirname(__file__), "..", "Tests", "EnvironmentsTests", "Fixtures",
                    "area-resize-210x160-to-84x84.json")
with open(path, "w") as f:
    json.dump({"input": bytes(img.astype(np.uint8).ravel()).hex(),
               "expected": bytes(expected.ravel()).hex()}, f)
print("wrote", path, os.path.getsize(path), "bytes")
