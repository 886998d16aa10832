#!/usr/bin/env python3
"""A librdkafka (confluent-kafka) consumer group member, for interop tests.

Joins --group, subscribes to --topic, and prints one JSON line per event:

  {"event": "assigned", "partitions": [0, 2]}
  {"event": "revoked", "partitions": [0, 2]}
  {"event": "record", "partition": 0, "offset": 5, "value": "..."}   (utf-8 value)

It commits each record's offset synchronously after printing it. It stops after
--max-records records, or when --idle seconds pass with no record (and no new
assignment), or after --timeout seconds; then it closes (leaving the group).
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from confluent_kafka import Consumer, KafkaError, TopicPartition


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--bootstrap", "-b", required=True)
    ap.add_argument("--topic", "-t", required=True)
    ap.add_argument("--group", "-g", required=True)
    ap.add_argument("--strategy", default="range")
    ap.add_argument("--max-records", type=int, default=1 << 30)
    ap.add_argument("--idle", type=float, default=5.0)
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--isolation-level", default="read_uncommitted")
    args = ap.parse_args()

    def emit(obj):
        print(json.dumps(obj), flush=True)

    consumer = Consumer({
        "bootstrap.servers": args.bootstrap,
        "group.id": args.group,
        "partition.assignment.strategy": args.strategy,
        "enable.auto.commit": False,
        "auto.offset.reset": "earliest",
        "isolation.level": args.isolation_level,
        "session.timeout.ms": 6000,
        "heartbeat.interval.ms": 500,
        "fetch.wait.max.ms": 100,
        "log_level": 3,
    })

    assigned = {"seen": False, "at": time.monotonic()}

    def on_assign(c, partitions):
        assigned["seen"] = True
        assigned["at"] = time.monotonic()
        emit({"event": "assigned", "partitions": sorted(p.partition for p in partitions)})
        if args.strategy == "cooperative-sticky":
            c.incremental_assign(partitions)
        else:
            c.assign(partitions)

    def on_revoke(c, partitions):
        emit({"event": "revoked", "partitions": sorted(p.partition for p in partitions)})
        if args.strategy == "cooperative-sticky":
            c.incremental_unassign(partitions)
        else:
            c.unassign()

    consumer.subscribe([args.topic], on_assign=on_assign, on_revoke=on_revoke)
    start = time.monotonic()
    last = time.monotonic()
    count = 0
    while count < args.max_records and time.monotonic() - start < args.timeout:
        msg = consumer.poll(0.2)
        if msg is None:
            if assigned["seen"] and time.monotonic() - max(last, assigned["at"]) > args.idle:
                break
            continue
        if msg.error():
            if msg.error().code() != KafkaError._PARTITION_EOF:
                print(f"rdkafka_group_member: {msg.error()}", file=sys.stderr)
            continue
        last = time.monotonic()
        value = msg.value()
        emit({"event": "record", "partition": msg.partition(), "offset": msg.offset(),
              "value": None if value is None else value.decode("utf-8", "replace")})
        consumer.commit(offsets=[TopicPartition(msg.topic(), msg.partition(), msg.offset() + 1)],
                        asynchronous=False)
        count += 1
    consumer.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
