#!/usr/bin/env bash
# Runs the StatelessPipeline work and its peers back to back, in rounds, so that they
# share the machine's state, and prints the best records/s of each and the ratios.
#
#   Benchmarks/compare-peers.sh [records] [rounds]
#
# - swift-kafka-streams: the topology through TopologyTestDriver (PipelineProfile pipeline)
# - handwritten Swift:   the same per-record work without the library (the floor)
# - plain Python:        the same per-record work in a Python loop (Peers/stateless_pipeline.py)
#
# A timing comparison, never a test: run it on an idle machine and read the ratios.
set -euo pipefail
cd "$(dirname "$0")"
records="${1:-1000000}"
rounds="${2:-5}"
if ! build_log=$(swift build -c release -j 2 --product PipelineProfile 2>&1); then
    echo "$build_log" | grep -E 'error' | head -20 >&2
    echo "compare-peers: build failed" >&2
    exit 1
fi
bin=.build/release/PipelineProfile

best() { sort -n | tail -1; }
rate() { sed -E 's/.*= ([0-9]+) records\/s.*/\1/; s/.*best of [0-9]+: ([0-9,]+) records\/s.*/\1/; s/,//g'; }

lib=(); hand=(); py=()
for ((r = 1; r <= rounds; r++)); do
    lib+=("$("$bin" "$records" pipeline | rate)")
    hand+=("$("$bin" "$records" handwritten | rate)")
    py+=("$(python3 Peers/stateless_pipeline.py "$records" 1 | rate)")
done
L=$(printf '%s\n' "${lib[@]}" | best)
H=$(printf '%s\n' "${hand[@]}" | best)
P=$(printf '%s\n' "${py[@]}" | best)
echo "records per run: $records, rounds: $rounds, best of each (records/s):"
printf '  %-28s %12s\n' "swift-kafka-streams" "$L" "handwritten Swift" "$H" "plain Python $(python3 -c 'import sys;print(sys.version.split()[0])')" "$P"
python3 - "$L" "$H" "$P" <<'PY'
import sys
l, h, p = map(float, sys.argv[1:])
print(f"  library / handwritten = {l / h:.2f}   library / Python = {l / p:.2f}")
PY
