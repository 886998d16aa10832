#!/usr/bin/env python3
"""Consume-throughput benchmark of librdkafka (confluent-kafka): the counterpart of
`kafka-consumer-bench consume` (scripts/bench-consumer) and the consumer of
scripts/bench-broker.

Assigns every partition of --topic from the beginning (no group), polls with
consume(num_messages=--batch) until --records records arrived, and prints one
JSON line: records/s and MB/s of key + value bytes, the clock running from the
first consume call to the last record. librdkafka's defaults otherwise.

With --record-bytes B the payload is counted as B bytes a record instead of summing
each record's key and value lengths in Python: the loop then does no per-record
Python work beyond the error check, so the broker, not the client loop, is measured.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition, libversion


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bootstrap", "-b", required=True)
    ap.add_argument("--topic", "-t", required=True)
    ap.add_argument("--records", "-n", type=int, default=1_000_000)
    ap.add_argument("--batch", type=int, default=500, help="records per consume() call (max.poll.records)")
    ap.add_argument("--record-bytes", type=int, default=0,
                    help="count this many key + value bytes a record instead of measuring each")
    ap.add_argument("--isolation-level", default="read_uncommitted")
    args = ap.parse_args()
    consumer = Consumer({"bootstrap.servers": args.bootstrap, "group.id": "rdkafka-consume-bench",
                         "enable.auto.commit": False, "isolation.level": args.isolation_level, "log_level": 3})
    meta = consumer.list_topics(args.topic, timeout=30).topics[args.topic]
    partitions = sorted(meta.partitions)
    consumer.assign([TopicPartition(args.topic, p, OFFSET_BEGINNING) for p in partitions])
    count = 0
    size = 0
    start = time.perf_counter()
    last = start
    while count < args.records:
        messages = consumer.consume(num_messages=args.batch, timeout=10)
        if not messages:
            print(f"rdkafka_consume_bench: no records for 10 s after {count}", file=sys.stderr)
            return 1
        if args.record_bytes:
            count += len(messages) - sum(1 for m in messages if m.error() is not None)
        else:
            for m in messages:
                if m.error():
                    continue
                count += 1
                key, value = m.key(), m.value()
                size += (len(key) if key else 0) + (len(value) if value else 0)
        last = time.perf_counter()
    if args.record_bytes:
        size = count * args.record_bytes
    seconds = last - start
    consumer.close()
    print(json.dumps({"client": "librdkafka " + libversion()[0], "mode": "consume", "bootstrap": args.bootstrap,
                      "topic": args.topic, "records": count, "partitions": len(partitions), "batch": args.batch,
                      "seconds": round(seconds, 4), "records_per_s": round(count / seconds, 1),
                      "mb_per_s": round(size / seconds / 1e6, 3)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
