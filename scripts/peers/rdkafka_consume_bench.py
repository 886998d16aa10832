#!/usr/bin/env python3
"""Consume-throughput benchmark with confluent-kafka (librdkafka) as the peer.

Reads N records of a topic from the beginning of every partition (manual assignment,
no group) and prints one JSON line:

  {"client": "confluent-kafka 2.16.1", "records": .., "seconds": .., "records_per_s": ..,
   "mb_per_s": .., ...}

mb_per_s counts key+value payload bytes (--record-bytes per record, the producer's
key + value size; not summed per record, to keep Python's per-record cost out of the
loop), 10^6 bytes per MB. The clock runs from the assignment until the N-th record has
been returned to the application.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from importlib.metadata import version

from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition, libversion


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bootstrap", "-b", required=True)
    ap.add_argument("--topic", "-t", required=True)
    ap.add_argument("--records", "-n", type=int, default=1_000_000)
    ap.add_argument("--timeout", type=float, default=60.0, help="give up after this many seconds")
    ap.add_argument("--isolation-level", default="read_uncommitted")
    ap.add_argument("--record-bytes", type=int, default=116, help="key + value bytes of each record")
    args = ap.parse_args()

    consumer = Consumer({
        "bootstrap.servers": args.bootstrap,
        "group.id": "consume-bench",
        "enable.auto.commit": False,
        "isolation.level": args.isolation_level,
        "log_level": 3,
    })
    metadata = consumer.list_topics(args.topic, timeout=10)
    partitions = sorted(metadata.topics[args.topic].partitions)
    start = time.perf_counter()
    consumer.assign([TopicPartition(args.topic, p, OFFSET_BEGINNING) for p in partitions])
    count = 0
    deadline = start + args.timeout
    while count < args.records:
        if time.perf_counter() > deadline:
            print(f"consume_bench: only {count} of {args.records} records after {args.timeout} s", file=sys.stderr)
            return 1
        batch = consumer.consume(num_messages=10_000, timeout=1.0)
        count += len(batch) - sum(1 for m in batch if m.error() is not None)
    payload = count * args.record_bytes
    seconds = time.perf_counter() - start
    consumer.close()
    print(json.dumps({
        "client": f"confluent-kafka {version('confluent-kafka')}", "librdkafka": libversion()[0],
        "bootstrap": args.bootstrap, "topic": args.topic, "partitions": len(partitions),
        "records": count, "seconds": round(seconds, 4), "records_per_s": round(count / seconds, 1),
        "mb_per_s": round(payload / seconds / 1e6, 3),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
