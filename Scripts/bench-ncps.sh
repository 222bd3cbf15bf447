#!/usr/bin/env bash
# NeuralCircuits vs ncps 1.0.1 (PyTorch), one thread each, on this machine, in one run.
# Prints each case's median (ms) for both and the speed-up (ncps / ours), then peak memory of
# training LTC(32, AutoNCP(128,16)) at batch 256 x 32 steps (max RSS, separate processes).
#
#   Scripts/bench-ncps.sh            # needs: swift, python3 with torch + ncps (pip install ncps torch)
#   Scripts/bench-ncps.sh --skip-python-memory   # ncps' LTC batch-256 run needs ~20+ GiB; skip it
set -euo pipefail
cd "$(dirname "$0")/.."
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
swift build -c release --product ncps-bench >/dev/null
BIN="$(swift build -c release --show-bin-path)/ncps-bench"
ours=$(mktemp); theirs=$(mktemp)
"$BIN" --repeats 7 > "$ours"
python3 Scripts/bench-ncps.py --repeats 7 > "$theirs"
"$BIN" --memory >> "$ours"
if [[ "${1:-}" != "--skip-python-memory" ]]; then
  python3 Scripts/bench-ncps.py --memory >> "$theirs" || echo '{"case": "train LTC(32,AutoNCP(128,16)) B256xL32", "median_ms": null, "max_rss_mib": null}' >> "$theirs"
fi
python3 - "$ours" "$theirs" <<'PY'
import json, sys
ours = {d["case"]: d for d in map(json.loads, open(sys.argv[1]))}
theirs = {d["case"]: d for d in map(json.loads, open(sys.argv[2]))}
print(f"{'case':44} {'ncps ms':>10} {'ours ms':>10} {'speed-up':>9}")
for case, o in ours.items():
    t = theirs.get(case, {})
    tm = t.get("median_ms")
    ratio = f"{tm / o['median_ms']:8.1f}x" if tm else "      n/a"
    print(f"{case:44} {tm if tm is not None else float('nan'):10.3f} {o['median_ms']:10.3f} {ratio}")
    if "max_rss_mib" in o:
        print(f"{'  max RSS (MiB)':44} {t.get('max_rss_mib') or float('nan'):10.0f} {o['max_rss_mib']:10.0f}")
PY
rm -f "$ours" "$theirs"
