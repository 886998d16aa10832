#!/usr/bin/env python3
"""A plain-Python peer for the StatelessPipeline benchmark (no Kafka library).

The same records and the same per-record work as the Swift benchmark, without a
topology: serialize key and value to UTF-8 (the test driver's input topic), decode them
(source), filter (keep non-empty values: every record), ASCII-upper-case the value
(mapValues), encode key and value again and append them to an output log with their
timestamp (sink + test-driver log). Records are piped in batches of 1,000; the output log
is cleared between batches outside the timed section, as the Swift benchmark reads its
output outside the measurement.

    python3 Benchmarks/Peers/stateless_pipeline.py [records] [runs]

Prints records/s (best of `runs` runs, default 1).
"""
import sys
import time

DISTINCT = 1000
VALUE_LENGTH = 100
BATCH = 1000


def make_keys():
    return [f"key-{i % 1000}" for i in range(DISTINCT)]


def make_values():
    alphabet = "abcdefghijklmnopqrstuvwxyz"
    values = []
    for i in range(DISTINCT):
        text = f"value-{i}-"
        j = i
        while len(text) < VALUE_LENGTH:
            text += alphabet[j % 26]
            j += 7
        values.append(text)
    return values


def make_filtered_values():
    """make_values() with every 10th value (i % 10 == 0) starting with 'x' instead of 'v':
    the values of the end-to-end streams benchmark (scripts/bench-streams), whose stateless
    topology drops values starting with 'x' (10% of the records). Still 100 bytes each."""
    return ["x" + v[1:] if i % 10 == 0 else v for i, v in enumerate(make_values())]


def run(records, keys, values):
    out_data = bytearray()
    out_entries = []
    base = 1_700_000_000_000
    measured = 0.0
    done = 0
    while done < records:
        n = min(BATCH, records - done)
        start = time.perf_counter()
        for k in range(done, done + n):
            i = k % DISTINCT
            # input topic: serialize
            key_bytes = keys[i].encode()
            value_bytes = values[i].encode()
            # source: deserialize
            key = key_bytes.decode()
            value = value_bytes.decode()
            # filter
            if not value:
                continue
            # mapValues
            mapped = value.upper()
            # sink: serialize into the output log
            key_start = len(out_data)
            out_data += key.encode()
            value_start = len(out_data)
            out_data += mapped.encode()
            out_entries.append((key_start, value_start, len(out_data), base + k))
        measured += time.perf_counter() - start
        # read back outside the measurement (the Swift benchmark drains unmeasured)
        assert len(out_entries) == n
        out_data.clear()
        out_entries.clear()
        done += n
    return records / measured


def main():
    records = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    keys, values = make_keys(), make_values()
    assert all(len(v.encode()) == VALUE_LENGTH for v in values)
    best = max(run(records, keys, values) for _ in range(runs))
    print(f"python {sys.version.split()[0]} plain pipeline: {records} records, best of {runs}: {best:,.0f} records/s")


if __name__ == "__main__":
    main()
