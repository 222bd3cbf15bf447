#!/usr/bin/env python3
"""Safetensors interop fixtures for NeuralNetworksTests (SafeTensorsFile).

Rerun (from the package root):
    pip install safetensors numpy
    python3 Scripts/make-safetensors-fixtures.py

Writes, into Tests/NeuralNetworksTests/Fixtures/safetensors/:
  python-written.safetensors   every dtype we support (F64, F32, I64, I32, U8), a scalar, an
                               empty tensor, special floats, one metadata key with escapes
  python-metadata.safetensors  one tensor and several metadata keys (Python writes them in hash
                               order, so this one is compared by content, not bytes)
  expected.json                the exact contents, floats as IEEE bit patterns (hex strings)

Verify that a file written by Swift loads in Python with exactly the expected contents:
    swift test --filter SafeTensorsFileTests        # writes $TMPDIR/swift-ncps/swift-written.safetensors
    python3 Scripts/make-safetensors-fixtures.py --verify [PATH]
PATH defaults to ${TMPDIR:-/tmp}/swift-ncps/swift-written.safetensors. Exit status 0 = identical.
"""
import json
import os
import struct
import sys
import tempfile

import numpy as np
from safetensors.numpy import load_file, save_file

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Tests", "NeuralNetworksTests", "Fixtures", "safetensors")


def tensors():
    f32 = np.float32
    return {
        "f32.matrix": np.array([[0.5, -1.25, 3.0e-39], [-0.0, 65504.0, 1.0 / 3.0]], dtype=f32),
        "f32.special": np.array([np.inf, -np.inf, np.nan, 1.17549435e-38], dtype=f32),
        "f32.small": np.array([[1.0, 2.0], [3.0, 4.0]], dtype=f32),
        "f64.values": np.array([0.1, -2.5e300, 1.0 / 3.0], dtype=np.float64),
        "i64.counts": np.array([[0, -1], [2**40, -(2**62)]], dtype=np.int64),
        "i32.scalar": np.array(7, dtype=np.int32),
        "u8.mask": np.array([[0, 1], [255, 1], [0, 128]], dtype=np.uint8),
        "empty": np.zeros((0, 4), dtype=f32),
    }


METADATA = {"config": '{"units": 8, "name": "caf\u00e9 \\"quoted\\"\\n", "tab": "\t"}'}
MANY_METADATA = {"format": "pt", "a": "1", "\u00fcn\u00ef": "\u2713", "empty": ""}


def describe(array):
    """Exact, JSON-safe description: dtype, shape, and values (floats as hex bit patterns)."""
    flat = array.reshape(-1)
    if array.dtype == np.float32:
        values = ["%08x" % v for v in flat.view(np.uint32).tolist()]
    elif array.dtype == np.float64:
        values = ["%016x" % v for v in flat.view(np.uint64).tolist()]
    else:
        values = [int(v) for v in flat.tolist()]
    names = {np.float32: "F32", np.float64: "F64", np.int64: "I64", np.int32: "I32", np.uint8: "U8"}
    return {"dtype": names[array.dtype.type], "shape": list(array.shape), "values": values}


def verify(path):
    loaded = load_file(path)
    expected = tensors()
    problems = []
    if sorted(loaded) != sorted(expected):
        problems.append("tensor names %s != %s" % (sorted(loaded), sorted(expected)))
    for name in sorted(set(loaded) & set(expected)):
        if describe(loaded[name]) != describe(expected[name]):
            problems.append("tensor %r differs: %s != %s" % (name, describe(loaded[name]), describe(expected[name])))
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
    if header.get("__metadata__") != METADATA:
        problems.append("metadata %r != %r" % (header.get("__metadata__"), METADATA))
    for p in problems:
        print("MISMATCH:", p)
    print("%s: %s" % (path, "OK, loads in Python safetensors with the expected contents" if not problems else "FAILED"))
    return 0 if not problems else 1


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "--verify":
        default = os.path.join(tempfile.gettempdir(), "swift-ncps", "swift-written.safetensors")
        path = sys.argv[2] if len(sys.argv) > 2 else default
        if not os.path.exists(path):
            print("%s does not exist; run `swift test --filter SafeTensorsFileTests` first" % path)
            return 2
        return verify(path)
    os.makedirs(OUT, exist_ok=True)
    save_file(tensors(), os.path.join(OUT, "python-written.safetensors"), metadata=METADATA)
    save_file({"x": np.arange(3, dtype=np.float32)}, os.path.join(OUT, "python-metadata.safetensors"),
              metadata=MANY_METADATA)
    expected = {
        "python-written": {"metadata": METADATA, "tensors": {k: describe(v) for k, v in tensors().items()}},
        "python-metadata": {"metadata": MANY_METADATA, "tensors": {"x": describe(np.arange(3, dtype=np.float32))}},
    }
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True, ensure_ascii=True)
        f.write("\n")
    print("wrote", os.path.normpath(OUT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
