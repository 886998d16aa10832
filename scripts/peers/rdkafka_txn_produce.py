#!/usr/bin/env python3
"""Produces transactions with librdkafka (confluent-kafka), for read_committed tests.

For each spec in --txn (repeatable), e.g. "commit:3" or "abort:2", runs one
transaction writing that many records to --topic partition --partition with
values "<label>-<n>" (label = commit/abort and the transaction index), then
commits or aborts it. Prints "ok" at the end.
"""

from __future__ import annotations

import argparse
import sys

from confluent_kafka import Producer


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--bootstrap", "-b", required=True)
    ap.add_argument("--topic", "-t", required=True)
    ap.add_argument("--partition", type=int, default=0)
    ap.add_argument("--transactional-id", default="rdkafka-txn-producer")
    ap.add_argument("--txn", action="append", default=[])
    args = ap.parse_args()
    producer = Producer({
        "bootstrap.servers": args.bootstrap,
        "transactional.id": args.transactional_id,
        "linger.ms": 1,
        "log_level": 3,
    })
    producer.init_transactions(30)
    for index, spec in enumerate(args.txn):
        kind, _, count = spec.partition(":")
        producer.begin_transaction()
        for n in range(int(count)):
            producer.produce(args.topic, value=f"{kind}{index}-{n}".encode(), partition=args.partition)
        producer.flush(30)
        if kind == "commit":
            producer.commit_transaction(30)
        else:
            producer.abort_transaction(30)
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
