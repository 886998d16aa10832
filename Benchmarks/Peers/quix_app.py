#!/usr/bin/env python3
"""The Quix Streams peer of the end-to-end streams benchmark (scripts/bench-streams).

Runs one topology over the topic `input` (string keys `key-<n>`, 100-byte string values,
see scripts/peers/streams_bench.py) until it is killed (SIGTERM stops it cleanly, as
Quix's Application.run() handles it), with Quix's defaults otherwise (commit interval
5 s, RocksDB state under --state-dir, changelog topics on). The consumer group is
--app-id; it starts from the earliest offset, so a new app id reads `input` from the
beginning.

Topologies (the same as the Swift engine's `streams-bench --topology`):

  stateless  filter (drop values whose first character is 'x', ~10% of the records),
             then mapValues (upper-case) -> `output` (string key, string value)
  count      count per key, the count kept in Quix's RocksDB store (stateful apply)
             -> `output` (string key, 8-byte big-endian int64 count)
  windowed   1-minute tumbling windows, count per key, emitted on every update
             (`.current()`, as Kafka Streams emits without suppression)
             -> `output` (key: the key's UTF-8 bytes then the 8-byte big-endian window
             start, as Kafka Streams' TimeWindowedSerializer; value: 8-byte count)

Runs in the Quix venv made by `scripts/peers/install --quix` (quixstreams needs
confluent-kafka < 2.13, the other peers pin 2.16.1):

    "$(scripts/peers/install --quix-python)" Benchmarks/Peers/quix_app.py \
        --bootstrap 127.0.0.1:9092 --topology count --guarantee exactly-once \
        --app-id bench-1 --state-dir /tmp/quix-state
"""
import argparse
import struct
from datetime import timedelta

from quixstreams import Application
from quixstreams.models.serializers import SerializationContext, Serializer

INT64 = struct.Struct(">q")


class SecondOfPair(Serializer):
    """Serializes a (key bytes, value bytes) pair as its value bytes: the windowed
    topology computes both in one step and to_topic() takes the key from the first."""

    def __call__(self, value, ctx: SerializationContext) -> bytes:
        return value[1]


def count(value, state):
    n = state.get("count", 0) + 1
    state.set("count", n)
    return INT64.pack(n)


def windowed_record(window, key, timestamp, headers):
    return key.encode() + INT64.pack(window["start"]), INT64.pack(window["value"])


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bootstrap", required=True, help="HOST:PORT")
    ap.add_argument("--topology", required=True, choices=["stateless", "count", "windowed"])
    ap.add_argument("--guarantee", default="at-least-once",
                    choices=["at-least-once", "exactly-once"])
    ap.add_argument("--app-id", required=True, help="consumer group (and state) name")
    ap.add_argument("--state-dir", required=True)
    ap.add_argument("--commit-interval", type=float, default=None,
                    help="seconds; default: Quix's own (5.0)")
    ap.add_argument("--log-level", default="INFO")
    args = ap.parse_args()

    options = {}
    if args.commit_interval is not None:
        options["commit_interval"] = args.commit_interval
    app = Application(
        broker_address=args.bootstrap,
        consumer_group=args.app_id,
        auto_offset_reset="earliest",
        processing_guarantee=args.guarantee,
        state_dir=args.state_dir,
        loglevel=args.log_level,
        **options,
    )
    source = app.topic("input", key_deserializer="str", value_deserializer="str")
    sdf = app.dataframe(source)
    if args.topology == "stateless":
        sink = app.topic("output", key_serializer="str", value_serializer="str")
        sdf = sdf.filter(lambda v: not v.startswith("x")).apply(str.upper)
        sdf.to_topic(sink)
    elif args.topology == "count":
        sink = app.topic("output", key_serializer="str", value_serializer="bytes")
        sdf = sdf.apply(count, stateful=True)
        sdf.to_topic(sink)
    else:
        sink = app.topic("output", key_serializer="bytes", value_serializer=SecondOfPair())
        sdf = sdf.tumbling_window(timedelta(minutes=1)).count().current()
        sdf = sdf.apply(windowed_record, metadata=True)
        sdf.to_topic(sink, key=lambda pair: pair[0])
    app.run()


if __name__ == "__main__":
    main()
