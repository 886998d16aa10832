#!/usr/bin/env python3
"""Prints the partition librdkafka's partitioner picks for each key on stdin.

Real method, no re-implementation: starts a private librdkafka mock cluster
(mock_cluster.py's MockCluster, one broker), creates a topic with
--partitions partitions, produces one record per key with confluent-kafka
configured with `partitioner: murmur2_random` (or --partitioner), and reads
the partition of each delivery report.

Input: one key per line (UTF-8 text without the newline; --hex for hex-encoded
bytes; an empty line is the empty key, not a null key).
Output: one line per key, in input order: "PARTITION<TAB>KEY-AS-GIVEN".

--verify also computes Kafka's Java-compatible murmur2 partition
((murmur2(key) & 0x7fffffff) % partitions, kafka-python's implementation)
and exits 1 if any key disagrees (murmur2 partitioners only).
"""

from __future__ import annotations

import argparse
import os
import sys

from confluent_kafka import Producer

sys.dont_write_bytecode = True  # no __pycache__ in the repository
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mock_cluster import MockCluster, find_librdkafka  # noqa: E402

PARTITIONERS = ["murmur2_random", "murmur2", "consistent_random", "consistent",
                "fnv1a_random", "fnv1a"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--partitions", "-p", type=int, required=True)
    ap.add_argument("--partitioner", default="murmur2_random", choices=PARTITIONERS)
    ap.add_argument("--hex", action="store_true", help="keys on stdin are hex-encoded")
    ap.add_argument("--verify", action="store_true",
                    help="cross-check murmur2 results against kafka-python's murmur2")
    args = ap.parse_args()
    if args.partitions < 1:
        ap.error("--partitions must be >= 1")

    given = [line.rstrip("\r\n") for line in sys.stdin]
    try:
        keys = [bytes.fromhex(k) if args.hex else k.encode("utf-8") for k in given]
    except ValueError as e:
        print(f"rdkafka_partition: bad hex key: {e}", file=sys.stderr)
        return 2

    cluster = MockCluster(1, find_librdkafka())
    producer = None
    try:
        topic = "partition-probe"
        answer = cluster.execute(f"create-topic {topic} {args.partitions} 1")
        if answer != "ok":
            print(f"rdkafka_partition: {answer}", file=sys.stderr)
            return 1
        producer = Producer({"bootstrap.servers": cluster.bootstraps,
                             "partitioner": args.partitioner, "linger.ms": 1,
                             "log_level": 3})
        partitions: list[int | None] = [None] * len(keys)
        failures = []

        def report(index):
            def on_delivery(err, msg):
                if err is not None:
                    failures.append((index, err))
                else:
                    partitions[index] = msg.partition()
            return on_delivery

        for i, key in enumerate(keys):
            while True:
                try:
                    producer.produce(topic, value=b"", key=key, on_delivery=report(i))
                    break
                except BufferError:
                    producer.poll(0.01)
        left = producer.flush(60)
        if failures or left:
            print(f"rdkafka_partition: {len(failures) + left} records not delivered: "
                  f"{failures[:1]}", file=sys.stderr)
            return 1
    finally:
        if producer is not None:  # before the cluster, or it logs refused reconnects
            producer.close()
            producer = None
        cluster.close()

    out = sys.stdout
    for text, part in zip(given, partitions):
        out.write(f"{part}\t{text}\n")
    out.flush()

    if args.verify:
        if not args.partitioner.startswith("murmur2"):
            print("rdkafka_partition: --verify supports murmur2 partitioners only",
                  file=sys.stderr)
            return 2
        from kafka.partitioner.default import murmur2  # noqa: PLC0415

        wrong = [(k, p) for k, p in zip(keys, partitions)
                 if (murmur2(k) & 0x7FFFFFFF) % args.partitions != p]
        if wrong:
            print(f"rdkafka_partition: {len(wrong)} keys disagree with kafka-python's "
                  f"murmur2, first {wrong[0]}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
