#!/usr/bin/env bash
# NeuralCircuits vs ncps 1.0.1 (PyTorch), one thread each, on this machine, in one run.
# Prints each case's median wall time (ms) for both and the speed-up (ncps / ours), the median
# CPU time (user + sys of each process) and its ratio — on a shared, loaded machine the CPU-time
# ratio is the fairer one — then peak memory of training LTC(32, AutoNCP(128,16)) at batch
# 256 x 32 steps (max RSS, separate processes).
#
#   Scripts/bench-ncps.sh            # needs: swift, python3 with torch + ncps (pip install ncps torch)
#   Scripts/bench-ncps.sh --skip-python-memory   # ncps' LTC batch-256 run needs ~20+ GiB; skip it
#   Scripts/bench-ncps.sh --skip-memory --repeats 9 --only 'CfC(16->64)'   # some cases, more repeats
set -euo pipefail
cd "$(dirname "$0")/.."
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
repeats=7; only=(); memory=both
while [[ $# -gt 0 ]]; do
  case "$1" in
    --skip-python-memory) memory=ours; shift ;;
    --skip-memory) memory=none; shift ;;
    --repeats) repeats="$2"; shift 2 ;;
    --only) only=(--only "$2"); shift 2 ;;
    *) echo "bench-ncps.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
swift build -c release --product ncps-bench >/dev/null
BIN="$(swift build -c release --show-bin-path)/ncps-bench"
ours=$(mktemp); theirs=$(mktemp)
"$BIN" --repeats "$repeats" "${only[@]}" > "$ours"
python3 Scripts/bench-ncps.py --repeats "$repeats" "${only[@]}" > "$theirs"
if [[ "$memory" != none ]]; then
  "$BIN" --memory >> "$ours"
  if [[ "$memory" == both ]]; then
    python3 Scripts/bench-ncps.py --memory >> "$theirs" || echo '{"case": "train LTC(32,AutoNCP(128,16)) B256xL32", "median_ms": null, "max_rss_mib": null}' >> "$theirs"
  fi
fi
python3 - "$ours" "$theirs" <<'PY'
import json, sys
ours = {d["case"]: d for d in map(json.loads, open(sys.argv[1]))}
theirs = {d["case"]: d for d in map(json.loads, open(sys.argv[2]))}
def ratio(a, b):
    return f"{a / b:8.1f}x" if a and b else "      n/a"
def num(x):
    return x if x is not None else float("nan")
print(f"{'case':40} {'ncps ms':>9} {'ours ms':>9} {'wall':>9}   {'ncps cpu':>9} {'ours cpu':>9} {'cpu':>9}")
for case, o in ours.items():
    t = theirs.get(case, {})
    tm, tc, oc = t.get("median_ms"), t.get("cpu_ms"), o.get("cpu_ms")
    print(f"{case:40} {num(tm):9.3f} {o['median_ms']:9.3f} {ratio(tm, o['median_ms'])}   "
          f"{num(tc):9.3f} {num(oc):9.3f} {ratio(tc, oc)}")
    if "max_rss_mib" in o:
        print(f"{'  max RSS (MiB)':40} {t.get('max_rss_mib') or float('nan'):9.0f} {o['max_rss_mib']:9.0f}")
PY
rm -f "$ours" "$theirs"
