#!/usr/bin/env python3
"""A plain-Python peer for the CountPerKey benchmark (no Kafka library).

The same records and the same per-record byte work as the Swift benchmark's
`groupByKey().count().toStream().to("out")` through the test driver, without a topology:

- input topic: serialize key and value to UTF-8;
- source: decode key and value;
- count: serialize the key for the store, look up its stored value, which is in Kafka
  Streams' timestamped format (8-byte big-endian timestamp, then the 8-byte big-endian
  count), decode it, add 1, take the larger timestamp, encode and store it again. The store
  is a `dict` of bytes to bytes (a hash map; the Swift in-memory store is an ordered
  B+tree, as Kafka's is a TreeMap);
- sink: encode the key and the 8-byte count and append them to an output log with the
  record's timestamp.

There is no record cache: with a commit after every record (the test driver's semantics)
a cache only adds work, so this mirrors `CountPerKey+cachingDisabled` and is the bar for
both Swift variants.

100,000 keys `key-<i>`, the stateless pipeline's 100-byte values, timestamps growing by
1 ms per record. Before timing, one full cycle over the keys fills the store (as the Swift
harness pre-fills), so every timed record updates an existing count. Records are piped in
batches of 1,000; the output log is checked and cleared between batches outside the timed
section, as the Swift benchmark reads its output outside the measurement.

    python3 Benchmarks/Peers/count_per_key.py [records] [runs]

Prints records/s (best of `runs` runs, default 1).
"""
import struct
import sys
import time

from stateless_pipeline import make_values

DISTINCT_KEYS = 100_000
BATCH = 1000
BASE = 1_700_000_000_000
TIMESTAMPED = struct.Struct(">qq")  # timestamp, count
COUNT = struct.Struct(">q")


def make_keys():
    return [f"key-{i}" for i in range(DISTINCT_KEYS)]


class Harness:
    def __init__(self):
        self.keys = make_keys()
        self.values = make_values()
        self.store = {}
        self.out_data = bytearray()
        self.out_entries = []
        self.next = 0

    def pipe(self, n):
        keys, values, store = self.keys, self.values, self.store
        out_data, out_entries = self.out_data, self.out_entries
        pack, unpack, pack_count = TIMESTAMPED.pack, TIMESTAMPED.unpack, COUNT.pack
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
            # count: the store holds serialized keys and timestamped values
            store_key = key.encode()
            old = store.get(store_key)
            if old is None:
                count = 1
            else:
                old_timestamp, old_count = unpack(old)
                count = old_count + 1
                if old_timestamp > timestamp:
                    timestamp = old_timestamp
            store[store_key] = pack(timestamp, count)
            # sink: serialize into the output log
            key_start = len(out_data)
            out_data += key.encode()
            value_start = len(out_data)
            out_data += pack_count(count)
            out_entries.append((key_start, value_start, len(out_data), timestamp))
        self.next = start + n

    def drain(self, check_from=None):
        if check_from is not None:
            for j, (key_start, value_start, end, timestamp) in enumerate(self.out_entries):
                k = check_from + j
                assert self.out_data[key_start:value_start].decode() == self.keys[k % DISTINCT_KEYS]
                assert COUNT.unpack(self.out_data[value_start:end])[0] == k // DISTINCT_KEYS + 1
                assert timestamp == BASE + k
        self.out_data.clear()
        self.out_entries.clear()


def run(records):
    harness = Harness()
    # pre-fill: one full cycle over the keys, every output checked (not timed)
    while harness.next < DISTINCT_KEYS + BATCH:
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
    print(f"python {sys.version.split()[0]} plain count per key: {records} records, best of {runs}: {best:,.0f} records/s")


if __name__ == "__main__":
    main()
