#!/usr/bin/env python3
"""A plain-Python peer for the StreamStreamJoin benchmark (no Kafka library).

The same records and the same per-record byte work as the Swift benchmark's
`left.join(right, ofTimeDifferenceWithNoGrace(5 min)) { _, capture in capture }.to("out")`
through the test driver, without a topology:

- input topic: serialize key and value to UTF-8; source: decode them;
- each side's buffer: time segments (half the 10-minute retention each) holding a `dict`
  of key bytes to a list of (timestamp, value bytes), as the Swift join window store;
  segments older than the retention are dropped whole;
- join: look the key up in the other side's segments within `[t - 5 min, t + 5 min]`,
  decode each match, forward one result per match (key and the right value encoded into an
  output log), then buffer the record in its own side.

Pairs interleaved left/right, 10,000 keys, 31 ms per pair (one match per pair), 11 minutes
of pairs piped before timing. Batches of 1,000; the output log is cleared between batches
outside the timed section.

    python3 Benchmarks/Peers/stream_stream_join.py [records] [runs]

Prints records/s (best of `runs` runs, default 1).
"""
import sys
import time

from stateless_pipeline import make_values

KEYS = 10_000
SPACING = 31
WINDOW = 300_000
RETENTION = 2 * WINDOW
SEGMENT = RETENTION // 2 + 1
BATCH = 1000
BASE = 1_700_000_000_000


class Side:
    def __init__(self):
        self.segments = {}
        self.observed = None

    def put(self, key, timestamp, value):
        if self.observed is None or timestamp > self.observed:
            self.observed = timestamp
            oldest = timestamp - RETENTION + 1
            for seg in [s for s in self.segments if (s + 1) * SEGMENT - 1 < oldest]:
                del self.segments[seg]
        if timestamp <= self.observed - RETENTION:
            return
        self.segments.setdefault(timestamp // SEGMENT, {}).setdefault(key, []).append((timestamp, value))

    def fetch(self, key, lo, hi):
        if self.observed is not None:
            lo = max(lo, self.observed - RETENTION + 1)
        found = []
        for seg in range(lo // SEGMENT, hi // SEGMENT + 1):
            entries = self.segments.get(seg, {}).get(key)
            if entries:
                found.extend(e for e in entries if lo <= e[0] <= hi)
        found.sort(key=lambda e: e[0])
        return found


class Harness:
    def __init__(self):
        self.keys = [f"key-{i}" for i in range(KEYS)]
        self.values = make_values()
        self.sides = (Side(), Side())
        self.out_data = bytearray()
        self.out_entries = []
        self.next = 0

    def pipe(self, n):
        keys, values, sides = self.keys, self.values, self.sides
        out_data, out_entries = self.out_data, self.out_entries
        nvalues = len(values)
        for k in range(self.next, self.next + n):
            pair = k >> 1
            side = k & 1
            timestamp = BASE + pair * SPACING
            key = keys[pair % KEYS].encode().decode()
            value = values[k % nvalues].encode().decode()
            store_key = key.encode()
            for other_ts, other_value in sides[1 - side].fetch(store_key, timestamp - WINDOW, timestamp + WINDOW):
                capture = value if side == 1 else other_value.decode()
                key_start = len(out_data)
                out_data += key.encode()
                value_start = len(out_data)
                out_data += capture.encode()
                out_entries.append((key_start, value_start, len(out_data), max(timestamp, other_ts)))
            sides[side].put(store_key, timestamp, value.encode())
        self.next += n

    def drain(self):
        count = len(self.out_entries)
        self.out_data.clear()
        self.out_entries.clear()
        return count


def run(records):
    harness = Harness()
    prefill = (11 * 60_000 // SPACING) * 2
    while harness.next < prefill:
        harness.pipe(BATCH)
        assert harness.drain() == BATCH // 2
    measured = 0.0
    done = 0
    while done < records:
        n = min(BATCH, records - done)
        start = time.perf_counter()
        harness.pipe(n)
        measured += time.perf_counter() - start
        assert harness.drain() == n // 2
        done += n
    return records / measured


def main():
    records = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    best = max(run(records) for _ in range(runs))
    print(f"python {sys.version.split()[0]} plain stream-stream join: {records} records, best of {runs}: {best:,.0f} records/s")


if __name__ == "__main__":
    main()
