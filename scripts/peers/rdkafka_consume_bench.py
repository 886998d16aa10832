#!/usr/bin/env python3
"""Consume-throughput benchmark of librdkafka (confluent-kafka): the counterpart of
`kafka-consumer-bench consume`.

Assigns every partition of --topic from the beginning (no group), polls with
consume(num_messages=--batch) until --records records arrived, and prints one
JSON line: records/s and MB/s of key + value bytes, the clock running from the
first consume call to the last record. librdkafka's defaults otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--bootstrap", "-b", required=True)
    ap.add_argument("--topic", "-t", required=True)
    ap.add_argument("--records", "-n", type=int, default=1_000_000)
    ap.add_argument("--batch", type=int, default=500, help="records per consume() call (max.poll.records)")
    args = ap.parse_args()
    consumer = Consumer({"bootstrap.servers": args.bootstrap, "group.id": "rdkafka-consume-bench",
                         "enable.auto.commit": False, "log_level": 3})
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
        for m in messages:
            if m.error():
                continue
            count += 1
            key, value = m.key(), m.value()
            size += (len(key) if key else 0) + (len(value) if value else 0)
        last = time.perf_counter()
    seconds = last - start
    consumer.close()
    print(json.dumps({"client": "librdkafka " + __import__("confluent_kafka").libversion()[0], "mode": "consume",
                      "topic": args.topic, "records": count, "partitions": len(partitions),
                      "seconds": round(seconds, 4), "records_per_s": round(count / seconds, 1),
                      "mb_per_s": round(size / seconds / 1e6, 3)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
