#!/usr/bin/env python3
"""A plain-Python peer for the WindowedCount benchmark (no Kafka library).

The same records and the same per-record byte work as the Swift benchmark's
`groupByKey().windowedBy(.tumbling(every: 1 min)).count().toStream().to("out", key:
.windowed(.string), value: .optional(.int64))` through the test driver, without a
topology:

- input topic: serialize key and value to UTF-8;
- source: decode key and value;
- windowed count: the record's tumbling window starts at `timestamp - timestamp % size`;
  serialize the key for the store, look it up in that window's bucket (a `dict` of bytes
  to bytes, one per window start, as the Swift in-memory window store keeps one map per
  window start), decode the stored value (8-byte big-endian timestamp, then the 8-byte
  count), add 1, take the larger timestamp, encode and store it. When a newer window
  starts, buckets older than the retention (size + 1 ms) are dropped whole;
- sink: encode the windowed key (key bytes, then the 8-byte big-endian window start) and
  the 8-byte count and append them to an output log with the record's timestamp.

10,000 keys `key-<i>`, the stateless pipeline's 100-byte values, timestamps growing by
1 ms per record from a multiple of the window size. Before timing, one full window
(60,000 records) is piped, as the Swift harness pre-fills. Records are piped in batches
of 1,000; the output log is checked and cleared between batches outside the timed
section.

    python3 Benchmarks/Peers/windowed_count.py [records] [runs]

Prints records/s (best of `runs` runs, default 1).
"""
import struct
import sys
import time

from stateless_pipeline import make_values

DISTINCT_KEYS = 10_000
WINDOW_MS = 60_000
RETENTION_MS = WINDOW_MS + 1
BATCH = 1000
BASE = 1_700_000_040_000  # a multiple of WINDOW_MS
TIMESTAMPED = struct.Struct(">qq")  # timestamp, count
INT64 = struct.Struct(">q")


def make_keys():
    return [f"key-{i}" for i in range(DISTINCT_KEYS)]


class Harness:
    def __init__(self):
        self.keys = make_keys()
        self.values = make_values()
        self.buckets = {}  # window start -> {key bytes: timestamped count}
        self.observed = None  # newest window start written
        self.out_data = bytearray()
        self.out_entries = []
        self.next = 0

    def pipe(self, n):
        keys, values, buckets = self.keys, self.values, self.buckets
        out_data, out_entries = self.out_data, self.out_entries
        pack, unpack, pack_int64 = TIMESTAMPED.pack, TIMESTAMPED.unpack, INT64.pack
        nvalues = len(values)
        start = self.next
        for k in range(start, start + n):
            timestamp = BASE + k
            # input topic: serialize
            key_bytes = keys[k % DISTINCT_KEYS].encode()
            value_bytes = values[k % nvalues].encode()
            # source: deserialize
            key = key_bytes.decode()
            value = value_bytes.decode()
            # windowed count
            window_start = timestamp - timestamp % WINDOW_MS
            store_key = key.encode()
            bucket = buckets.get(window_start)
            old = bucket.get(store_key) if bucket is not None else None
            if old is None:
                count = 1
            else:
                old_timestamp, old_count = unpack(old)
                count = old_count + 1
                if old_timestamp > timestamp:
                    timestamp = old_timestamp
            if self.observed is None or window_start > self.observed:
                self.observed = window_start
                oldest_live = window_start - RETENTION_MS + 1
                for expired in [s for s in buckets if s < oldest_live]:
                    del buckets[expired]
            if bucket is None:
                bucket = buckets[window_start] = {}
            bucket[store_key] = pack(timestamp, count)
            # sink: serialize the windowed key and the count into the output log
            key_start = len(out_data)
            out_data += key.encode()
            out_data += pack_int64(window_start)
            value_start = len(out_data)
            out_data += pack_int64(count)
            out_entries.append((key_start, value_start, len(out_data), timestamp))
        self.next = start + n

    def drain(self, check_from=None):
        if check_from is not None:
            for j, (key_start, value_start, end, timestamp) in enumerate(self.out_entries):
                k = check_from + j
                key = self.out_data[key_start:value_start - 8].decode()
                window_start = INT64.unpack(self.out_data[value_start - 8:value_start])[0]
                assert key == self.keys[k % DISTINCT_KEYS]
                assert window_start == BASE + (k // WINDOW_MS) * WINDOW_MS
                assert INT64.unpack(self.out_data[value_start:end])[0] == (k % WINDOW_MS) // DISTINCT_KEYS + 1
                assert timestamp == BASE + k
        self.out_data.clear()
        self.out_entries.clear()


def run(records):
    harness = Harness()
    # pre-fill: one full window, every output checked (not timed)
    while harness.next < WINDOW_MS + BATCH:
        start = harness.next
        harness.pipe(BATCH)
        harness.drain(check_from=start)
    measured = 0.0
    done = 0
    while done < records:
        n = min(BATCH, records - done)
        start = time.perf_counter()
        harness.pipe(n)
        measured += time.perf_counter() - start
        assert len(harness.out_entries) == n
        harness.drain()
        done += n
    return records / measured


def main():
    records = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    best = max(run(records) for _ in range(runs))
    print(f"python {sys.version.split()[0]} plain windowed count: {records} records, best of {runs}: {best:,.0f} records/s")


if __name__ == "__main__":
    main()
