#!/usr/bin/env python3
"""A plain-Python peer for the StreamTableJoin benchmark (no Kafka library).

The same records and the same per-record byte work as the Swift benchmark's
`stream("in").join(table("table")) { _, row in row }.to("out")` through the test driver,
without a topology:

- input topic: serialize key and value to UTF-8;
- source: decode key and value;
- join: serialize the key for the store, look it up in a `dict` of bytes to bytes (the
  table's store, 100,000 rows), decode the stored value (8-byte big-endian timestamp, then
  the row's UTF-8 bytes);
- sink: encode the key and the row and append them to an output log with the record's
  timestamp.

100,000 keys `key-<i>` with rows `row-<i>`, loaded before timing; stream record `n` has key
`n % 100,000` and the stateless pipeline's 100-byte value. Records are piped in batches of
1,000; the output log is checked and cleared between batches outside the timed section.

    python3 Benchmarks/Peers/stream_table_join.py [records] [runs]

Prints records/s (best of `runs` runs, default 1).
"""
import struct
import sys
import time

from stateless_pipeline import make_values

ROWS = 100_000
BATCH = 1000
BASE = 1_700_000_000_000
INT64 = struct.Struct(">q")


class Harness:
    def __init__(self):
        self.keys = [f"key-{i}" for i in range(ROWS)]
        self.rows = [f"row-{i}" for i in range(ROWS)]
        self.values = make_values()
        self.store = {k.encode(): INT64.pack(BASE) + r.encode() for k, r in zip(self.keys, self.rows)}
        self.out_data = bytearray()
        self.out_entries = []
        self.next = 0

    def pipe(self, n):
        keys, values, store = self.keys, self.values, self.store
        out_data, out_entries = self.out_data, self.out_entries
        nvalues = len(values)
        start = self.next
        for k in range(start, start + n):
            timestamp = BASE + k
            key_bytes = keys[k % ROWS].encode()
            value_bytes = values[k % nvalues].encode()
            key = key_bytes.decode()
            value_bytes.decode()
            stored = store.get(key.encode())
            if stored is None:
                continue
            INT64.unpack_from(stored)
            row = stored[8:].decode()
            key_start = len(out_data)
            out_data += key.encode()
            value_start = len(out_data)
            out_data += row.encode()
            out_entries.append((key_start, value_start, len(out_data), timestamp))
        self.next = start + n

    def drain(self):
        self.out_data.clear()
        self.out_entries.clear()


def run(records):
    harness = Harness()
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
    print(f"python {sys.version.split()[0]} plain stream-table join: {records} records, best of {runs}: {best:,.0f} records/s")


if __name__ == "__main__":
    main()
