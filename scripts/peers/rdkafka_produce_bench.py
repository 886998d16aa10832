#!/usr/bin/env python3
"""Produce-throughput benchmark with confluent-kafka (librdkafka) as the peer.

Produces N records (16-byte keys, 100-byte values by default) to a topic with
P partitions and prints one JSON line:

  {"client": "confluent-kafka 2.16.1", "librdkafka": "2.16.0", "records": ..,
   "seconds": .., "records_per_s": .., "mb_per_s": .., ...}

mb_per_s counts key+value payload bytes, 10^6 bytes per MB. The clock runs
from the first produce() call until every delivery report has arrived
(flush), so it covers acknowledgement by the broker (--acks, default all).

Keys are "%016d" % i (for 16 bytes; zero-padded/truncated for other sizes).
Values come from a pool of 1024 values drawn with --seed from a 64-character
alphabet (~6 bits of entropy per byte, so compression has something to do
but not everything); the same seed gives the same records in every client.

The end-to-end streams benchmark (scripts/bench-streams) uses its own records:
--keys K makes the keys "key-<i % K>", --values streams takes the values from
Benchmarks/Peers/stateless_pipeline.make_filtered_values() (100 bytes, every
10th starting with 'x'), and --timestamp-start MS gives record i the timestamp
MS + i * --timestamp-step-ms (not with --batch: produce_batch() takes no timestamps).

The topic is used when it exists with P partitions; otherwise it is created
with CreateTopics (tansu supports it). The librdkafka mock cluster does not:
create the topic first with mock_cluster.py's `create-topic NAME P 1`.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import uuid

from importlib.metadata import version

from confluent_kafka import KafkaException, Producer, libversion
from confluent_kafka.admin import AdminClient, NewTopic
from pathlib import Path

ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def make_values(size: int, seed: int, count: int = 1024) -> list[bytes]:
    rng = random.Random(seed)
    return [bytes(rng.choice(ALPHABET) for _ in range(size)) for _ in range(count)]


def make_key(i: int, size: int) -> bytes:
    text = b"%0*d" % (size, i)
    return text[-size:] if size else b""


def ensure_topic(bootstrap: str, topic: str, partitions: int, timeout: float) -> str:
    admin = AdminClient({"bootstrap.servers": bootstrap, "log_level": 3})
    md = admin.list_topics(timeout=timeout)
    if topic in md.topics and md.topics[topic].error is None:
        have = len(md.topics[topic].partitions)
        if have != partitions:
            sys.exit(f"produce_bench: {topic} has {have} partitions, not {partitions}")
        return "existing"
    if md.controller_id not in md.brokers:
        sys.exit(f"produce_bench: {topic} does not exist and the cluster advertises no "
                 "controller (librdkafka mock cluster?): create it first, e.g. "
                 f"mock_cluster.py command `create-topic {topic} {partitions} 1`")
    futures = admin.create_topics([NewTopic(topic, partitions, 1)],
                                  operation_timeout=timeout, request_timeout=timeout)
    try:
        futures[topic].result(timeout)
    except KafkaException as e:
        sys.exit(f"produce_bench: CreateTopics {topic}: {e}")
    # Wait until metadata shows every partition with a leader.
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        md = admin.list_topics(topic, timeout=timeout)
        t = md.topics.get(topic)
        if t is not None and t.error is None and len(t.partitions) == partitions and \
                all(p.leader >= 0 for p in t.partitions.values()):
            return "created"
        time.sleep(0.1)
    sys.exit(f"produce_bench: {topic} has no leaders after {timeout}s")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bootstrap", "-b", required=True, help="e.g. 127.0.0.1:9092")
    ap.add_argument("--topic", "-t", help="default: bench-<random>")
    ap.add_argument("--records", "-n", type=int, default=1_000_000)
    ap.add_argument("--partitions", "-p", type=int, default=8)
    ap.add_argument("--key-size", type=int, default=16)
    ap.add_argument("--value-size", type=int, default=100)
    ap.add_argument("--compression", "-c", default="none",
                    choices=["none", "zstd", "gzip", "lz4", "snappy"])
    ap.add_argument("--acks", default="all", choices=["all", "1", "0"])
    ap.add_argument("--linger-ms", type=float, default=5.0, help="librdkafka default 5")
    ap.add_argument("--batch-size", type=int, default=1_000_000,
                    help="batch.size in bytes (librdkafka default 1000000)")
    ap.add_argument("--idempotence", action="store_true", help="enable.idempotence=true")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keys", type=int, default=0, metavar="K",
                    help='keys "key-<i %% K>" instead of "%%016d" (streams benchmark)')
    ap.add_argument("--values", default="random", choices=["random", "streams"],
                    help="streams: stateless_pipeline.make_filtered_values() (100 B, 10%% 'x...')")
    ap.add_argument("--timestamp-start", type=int, default=0, metavar="MS",
                    help="record i gets timestamp MS + i * step (default: producer's clock)")
    ap.add_argument("--timestamp-step-ms", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=30.0, help="admin/metadata timeout, s")
    ap.add_argument("-X", action="append", default=[], metavar="KEY=VALUE",
                    help="extra librdkafka producer property (repeatable)")
    ap.add_argument("--batch", type=int, default=0, metavar="N",
                    help="enqueue N records per produce_batch() call instead of one produce() "
                         "per record (less Python overhead per record)")
    args = ap.parse_args()
    if args.timestamp_start and args.batch > 0:
        ap.error("--timestamp-start does not work with --batch (produce_batch takes no timestamps)")

    topic = args.topic or f"bench-{uuid.uuid4().hex[:8]}"
    topic_state = ensure_topic(args.bootstrap, topic, args.partitions, args.timeout)

    errors = []
    conf = {
        "bootstrap.servers": args.bootstrap,
        "compression.type": args.compression,
        "acks": args.acks,
        "linger.ms": args.linger_ms,
        "batch.size": args.batch_size,
        "enable.idempotence": args.idempotence,
        "queue.buffering.max.messages": 1_000_000,
        "queue.buffering.max.kbytes": 1_048_576,
        "delivery.report.only.error": True,
        "on_delivery": lambda err, msg: errors.append(err),
        "log_level": 3,
    }
    for kv in args.X:
        k, _, v = kv.partition("=")
        conf[k] = v
    producer = Producer(conf)
    # Connect and fetch the topic's metadata before the clock starts.
    producer.list_topics(topic, timeout=args.timeout)

    if args.values == "streams":
        sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "Benchmarks" / "Peers"))
        sys.dont_write_bytecode = True  # no __pycache__ in the repository
        from stateless_pipeline import make_filtered_values
        values = [v.encode() for v in make_filtered_values()]
        args.value_size = len(values[0])
    else:
        values = make_values(args.value_size, args.seed)
    if args.keys > 0:
        key_pool = [b"key-%d" % n for n in range(args.keys)]
        keys = [key_pool[i % args.keys] for i in range(args.records)]
        args.key_size = sum(len(k) for k in keys) / max(1, args.records)  # mean, for MB/s
    else:
        keys = [make_key(i, args.key_size) for i in range(args.records)]
    step = args.timestamp_step_ms if args.timestamp_start else 0
    # timestamp 0: the producer's clock
    records = [(keys[i], values[i % len(values)], args.timestamp_start + i * step)
               for i in range(args.records)]
    keys = []
    produce = producer.produce
    poll = producer.poll
    # The Python loop costs ~2 us a record here: enqueueing alone peaks near
    # 500k records/s, so faster peers are limited by it (see docs/peers.md).
    if args.batch > 0:
        chunks = [[{"key": k, "value": v} for k, v, _ in records[i:i + args.batch]]
                  for i in range(0, len(records), args.batch)]
        records = []
    start = time.perf_counter()
    for chunk in (chunks if args.batch > 0 else []):
        while chunk:
            try:
                queued = producer.produce_batch(topic, chunk)
            except BufferError:
                queued = 0
            chunk = chunk[queued:]
            if chunk:
                poll(0.005)
    for key, value, timestamp in records:
        try:
            produce(topic, value, key, timestamp=timestamp)
        except BufferError:  # queue full: serve delivery reports, then retry
            while True:
                poll(0.005)
                try:
                    produce(topic, value, key, timestamp=timestamp)
                    break
                except BufferError:
                    pass
    remaining = producer.flush(600)
    seconds = time.perf_counter() - start

    payload = round(args.records * (args.key_size + args.value_size))
    report = {
        "client": f"confluent-kafka {version('confluent-kafka')}",
        "librdkafka": libversion()[0],
        "bootstrap": args.bootstrap,
        "topic": topic,
        "topic_state": topic_state,
        "records": args.records,
        "partitions": args.partitions,
        "key_bytes": round(args.key_size, 2),
        "value_bytes": args.value_size,
        "compression": args.compression,
        "acks": args.acks,
        "linger_ms": args.linger_ms,
        "idempotence": args.idempotence,
        "mode": f"produce_batch({args.batch})" if args.batch > 0 else "produce",
        "seconds": round(seconds, 4),
        "records_per_s": round(args.records / seconds, 1),
        "mb_per_s": round(payload / seconds / 1e6, 3),
        "delivery_errors": len(errors) + remaining,
    }
    if errors:
        report["first_error"] = str(errors[0])
    print(json.dumps(report), flush=True)
    return 0 if not errors and remaining == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
