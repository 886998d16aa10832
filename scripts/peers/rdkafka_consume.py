#!/usr/bin/env python3
"""Prints every record of a topic as JSON lines, read with confluent-kafka.

For interop checks: what a Swift producer wrote, as librdkafka reads it.
Reads all partitions from the beginning (no consumer group, nothing committed)
until each partition reaches end-of-partition, then prints the records sorted
by (partition, offset), one JSON object per line:

  {"partition": 0, "offset": 0, "timestamp": 1700000000000,
   "timestamp_type": "create", "key": "a2V5", "value": "dmFsdWU=",
   "headers": [["h", "eA=="]]}

key/value/header values are base64 (--encoding hex for hex, text for UTF-8); null stays null.
timestamp_type is "create", "log_append" or "none". Exit status 1 when a
partition does not reach its end within --timeout seconds.

End-of-partition comes from the high watermark in Fetch responses
(enable.partition.eof), not from ListOffsets: tansu's ListOffsets "latest"
is the base offset of its last batch, which would stop one batch early.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
import time
import uuid

from confluent_kafka import (TIMESTAMP_CREATE_TIME, TIMESTAMP_LOG_APPEND_TIME, Consumer,
                             KafkaError, TopicPartition)

TS_TYPES = {TIMESTAMP_CREATE_TIME: "create", TIMESTAMP_LOG_APPEND_TIME: "log_append"}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bootstrap", "-b", required=True)
    ap.add_argument("--topic", "-t", required=True)
    ap.add_argument("--encoding", choices=["base64", "hex", "text"], default="base64")
    ap.add_argument("--isolation-level", choices=["read_uncommitted", "read_committed"],
                    default="read_uncommitted")
    ap.add_argument("--timeout", type=float, default=30.0,
                    help="seconds to reach the end of every partition")
    ap.add_argument("--unsorted", action="store_true",
                    help="print records as they arrive instead of sorted at the end")
    ap.add_argument("-X", action="append", default=[], metavar="KEY=VALUE",
                    help="extra librdkafka consumer property (repeatable)")
    args = ap.parse_args()

    if args.encoding == "hex":
        def enc(b):
            return None if b is None else b.hex()
    elif args.encoding == "text":
        def enc(b):
            return None if b is None else b.decode("utf-8", errors="replace")
    else:
        def enc(b):
            return None if b is None else base64.b64encode(b).decode("ascii")

    conf = {
        "bootstrap.servers": args.bootstrap,
        "group.id": f"rdkafka-consume-{uuid.uuid4().hex[:8]}",  # required; never joined
        "enable.auto.commit": False,
        "enable.partition.eof": True,
        "isolation.level": args.isolation_level,
        "fetch.wait.max.ms": 100,
        "log_level": 3,
    }
    for kv in args.X:
        k, _, v = kv.partition("=")
        conf[k] = v
    consumer = Consumer(conf)
    deadline = time.monotonic() + args.timeout
    md = consumer.list_topics(args.topic, timeout=args.timeout)
    meta = md.topics.get(args.topic)
    if meta is None or meta.error is not None:
        err = meta.error if meta is not None else "not found"
        print(f"rdkafka_consume: topic {args.topic}: {err}", file=sys.stderr)
        return 1
    partitions = sorted(meta.partitions)
    consumer.assign([TopicPartition(args.topic, p, -2) for p in partitions])  # -2: beginning
    pending = set(partitions)
    records = []
    out = sys.stdout
    while pending and time.monotonic() < deadline:
        msg = consumer.poll(0.2)
        if msg is None:
            continue
        err = msg.error()
        if err is not None:
            if err.code() == KafkaError._PARTITION_EOF:
                pending.discard(msg.partition())
                continue
            print(f"rdkafka_consume: {err}", file=sys.stderr)
            if err.fatal() or not err.retriable():
                consumer.close()
                return 1
            continue
        ts_type, ts = msg.timestamp()
        rec = {
            "partition": msg.partition(),
            "offset": msg.offset(),
            "timestamp": ts,
            "timestamp_type": TS_TYPES.get(ts_type, "none"),
            "key": enc(msg.key()),
            "value": enc(msg.value()),
            "headers": [[k, enc(v)] for k, v in (msg.headers() or [])],
        }
        if args.unsorted:
            out.write(json.dumps(rec) + "\n")
        else:
            records.append(rec)
    consumer.close()
    records.sort(key=lambda r: (r["partition"], r["offset"]))
    for rec in records:
        out.write(json.dumps(rec) + "\n")
    out.flush()
    if pending:
        print(f"rdkafka_consume: partitions {sorted(pending)} did not reach their end "
              f"within {args.timeout}s", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
