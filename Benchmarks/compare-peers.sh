#!/usr/bin/env bash
# Runs each benchmark's work and its peers back to back, in rounds, so that they share the
# machine's state, and prints the best records/s of each and the ratios.
#
#   Benchmarks/compare-peers.sh [records] [rounds] [workloads]
#
# workloads: a comma-separated list of stateless, count, windowed, stream-join, table-join
# (default: all five).
#
# stateless (StatelessPipeline):
# - swift-kafka-streams: the topology through TopologyTestDriver (PipelineProfile pipeline)
# - handwritten Swift:   the same per-record work without the library (the floor)
# - plain Python:        the same per-record work in a Python loop (Peers/stateless_pipeline.py)
# count (CountPerKey):
# - swift-kafka-streams, caching store (PipelineProfile count) and caching disabled
#   (PipelineProfile count-nocache)
# - plain Python:        the same per-record work in a Python loop (Peers/count_per_key.py)
# windowed (WindowedCount):
# - swift-kafka-streams (PipelineProfile windowed)
# - plain Python:        the same per-record work in a Python loop (Peers/windowed_count.py)
# stream-join (StreamStreamJoin):
# - swift-kafka-streams (PipelineProfile stream-join)
# - plain Python:        the same per-record work in a Python loop (Peers/stream_stream_join.py)
# table-join (StreamTableJoin):
# - swift-kafka-streams (PipelineProfile table-join)
# - plain Python:        the same per-record work in a Python loop (Peers/stream_table_join.py)
#
# The stateful runs pre-fill their stores before timing (one cycle over the keys, or one
# window), in Swift and in Python alike.
#
# A timing comparison, never a test: run it on an idle machine and read the ratios.
set -euo pipefail
cd "$(dirname "$0")"
records="${1:-1000000}"
rounds="${2:-5}"
workloads="${3:-stateless,count,windowed,stream-join,table-join}"
if ! build_log=$(swift build -c release -j 2 --product PipelineProfile 2>&1); then
    echo "$build_log" | grep -E 'error' | head -20 >&2
    echo "compare-peers: build failed" >&2
    exit 1
fi
bin=.build/release/PipelineProfile
python_version=$(python3 -c 'import sys;print(sys.version.split()[0])')

best() { sort -n | tail -1; }
rate() { sed -E 's/.*= ([0-9]+) records\/s.*/\1/; s/.*best of [0-9]+: ([0-9,]+) records\/s.*/\1/; s/,//g'; }

# compare NAME LABEL COMMAND LABEL COMMAND ...: runs every command once per round (in
# order, so they share the machine's state), then prints the best of each and each one's
# ratio to the first (the library).
compare() {
    local name=$1
    shift
    local labels=() commands=()
    while (($# > 0)); do
        labels+=("$1")
        commands+=("$2")
        shift 2
    done
    local -a results
    for ((i = 0; i < ${#commands[@]}; i++)); do results[i]=""; done
    for ((r = 1; r <= rounds; r++)); do
        for ((i = 0; i < ${#commands[@]}; i++)); do
            results[i]+="$(eval "${commands[i]}" | rate) "
        done
    done
    echo "$name: records per run: $records, rounds: $rounds, best of each (records/s, ratio to the first):"
    local first=""
    for ((i = 0; i < ${#commands[@]}; i++)); do
        local b
        b=$(printf '%s\n' ${results[i]} | best)
        [[ -z $first ]] && first=$b
        printf '  %-40s %12s  %6s\n' "${labels[i]}" "$b" "$(python3 -c "print(f'{$b / $first:.2f}x')")"
    done
}

IFS=',' read -ra selected <<<"$workloads"
for workload in "${selected[@]}"; do
    case "$workload" in
    stateless)
        compare "StatelessPipeline" \
            "swift-kafka-streams" "$bin $records pipeline" \
            "handwritten Swift" "$bin $records handwritten" \
            "plain Python $python_version" "python3 Peers/stateless_pipeline.py $records 1"
        ;;
    count)
        compare "CountPerKey" \
            "swift-kafka-streams (caching store)" "$bin $records count" \
            "swift-kafka-streams (caching disabled)" "$bin $records count-nocache" \
            "plain Python $python_version" "python3 Peers/count_per_key.py $records 1"
        ;;
    windowed)
        compare "WindowedCount" \
            "swift-kafka-streams" "$bin $records windowed" \
            "plain Python $python_version" "python3 Peers/windowed_count.py $records 1"
        ;;
    stream-join)
        compare "StreamStreamJoin" \
            "swift-kafka-streams" "$bin $records stream-join" \
            "plain Python $python_version" "python3 Peers/stream_stream_join.py $records 1"
        ;;
    table-join)
        compare "StreamTableJoin" \
            "swift-kafka-streams" "$bin $records table-join" \
            "plain Python $python_version" "python3 Peers/stream_table_join.py $records 1"
        ;;
    *)
        echo "compare-peers: unknown workload $workload (stateless, count, windowed, stream-join, table-join)" >&2
        exit 2
        ;;
    esac
done
