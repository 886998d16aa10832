#!/usr/bin/env python3
"""Measuring side of the end-to-end streams benchmark (scripts/bench-streams): starts a
stream-processing engine as a child process and watches it only through the broker, with
confluent-kafka (librdkafka), so every engine is measured the same way.

  topics      -b BS [--partitions 4] [--recreate] NAME...
              create the topics (after deleting them with --recreate); waits for leaders
  throughput  -b BS --group G --records N [--topic input] [--output output] --log F -- CMD...
              spawn CMD, poll every 100 ms the group's committed offsets on `input`
              (AdminClient.list_consumer_group_offsets) and the end offsets of `output`
              (list_offsets latest, read_uncommitted: transactional records count from
              the moment they are written), until the committed offsets sum to N; then
              SIGTERM (SIGKILL after 10 s) the engine's process group. One JSON line.
  latency     -b BS --rate R --seconds S [--warmup W] [--isolation ...] --log F -- CMD...
              spawn CMD, produce R records/s to `input` for W + S seconds, each value
              carrying its produce time, and read `output` at the given isolation level;
              the latency of a record is (time its result is read) - (time it was
              produced), over the records produced after the warm-up. One JSON line.

Times are time.monotonic() (latency: time.time_ns(), shared by producer and consumer in
this one process). The throughput line holds:

  startup_s          spawn -> first record on `output` (process start, imports, group
                     join, first fetch and first produce)
  first_commit_s     spawn -> first committed offset (> 0) on `input`
  done_s             spawn -> committed offsets sum to N
  records_per_s      N / done_s                       (everything, startup included)
  after_startup_records_per_s
                     N / (done_s - startup_s)         (from the first result to the last
                                                       commit: processing plus the wait
                                                       for the final commit)
  output_records_per_s
                     N / (last output growth - first output), the processing rate seen
                     on `output`, independent of the commit interval (an estimate: it
                     assumes input is consumed at the rate output appears)
  cpu_s, peak_rss_mib  the engine process's user+system CPU time and VmHWM (children of
                     the engine process are not included)
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time

from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic, OffsetSpec
from confluent_kafka import ConsumerGroupTopicPartitions

POLL_S = 0.1


def admin_client(bootstrap: str) -> AdminClient:
    return AdminClient({"bootstrap.servers": bootstrap, "log_level": 3})


# --- topics ---------------------------------------------------------------------------

def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    sys.exit(f"streams_bench: timed out after {timeout}s waiting for {what}")


def cmd_topics(args) -> int:
    admin = admin_client(args.bootstrap)
    existing = admin.list_topics(timeout=30).topics
    if args.recreate:
        gone = [t for t in args.names if t in existing]
        if gone:
            for f in admin.delete_topics(gone, operation_timeout=30).values():
                f.result()
            wait_for(lambda: not set(gone) & set(admin.list_topics(timeout=30).topics),
                     30, f"deletion of {gone}")
        existing = {}
    new = [NewTopic(t, args.partitions, 1) for t in args.names if t not in existing]
    if new:
        for f in admin.create_topics(new, operation_timeout=30).values():
            f.result()

    def ready():
        md = admin.list_topics(timeout=30).topics
        return all(t in md and md[t].error is None and len(md[t].partitions) == args.partitions
                   and all(p.leader >= 0 for p in md[t].partitions.values()) for t in args.names)
    wait_for(ready, 30, f"leaders of {args.names}")
    return 0


# --- the engine process ---------------------------------------------------------------

class Engine:
    """CMD in its own process group (so it is killed with whatever it starts), its output
    appended to a log file."""

    def __init__(self, cmd: list[str], log: str):
        self.cmd, self.log = cmd, log
        self.logfile = open(log, "ab")
        self.start = time.monotonic()
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=self.logfile,
                                     stderr=subprocess.STDOUT, start_new_session=True)

    def check_alive(self):
        if self.proc.poll() is not None:
            sys.exit(f"streams_bench: engine exited with {self.proc.returncode} "
                     f"before the end: {' '.join(self.cmd)}\n--- {self.log} (tail) ---\n"
                     + self.tail())

    def tail(self, lines: int = 30) -> str:
        self.logfile.flush()
        with open(self.log, "rb") as f:
            return b"".join(f.readlines()[-lines:]).decode(errors="replace")

    def usage(self) -> tuple[float, float]:
        """(user+system CPU seconds, peak RSS MiB) of the engine process, from /proc."""
        try:
            with open(f"/proc/{self.proc.pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            with open(f"/proc/{self.proc.pid}/status") as f:
                hwm = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
            return round(cpu, 2), round(hwm / 1024, 1)
        except (OSError, StopIteration):
            return -1.0, -1.0

    def stop(self) -> int:
        """SIGTERM to the process group, SIGKILL after 10 s; the exit status."""
        for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.proc.wait(wait)
                break
            except subprocess.TimeoutExpired:
                continue
        self.logfile.close()
        return self.proc.returncode


# --- throughput -----------------------------------------------------------------------

def cmd_throughput(args) -> int:
    admin = admin_client(args.bootstrap)
    md = admin.list_topics(timeout=30).topics
    inputs = [TopicPartition(args.topic, p) for p in sorted(md[args.topic].partitions)]
    outputs = {TopicPartition(args.output, p): OffsetSpec.latest()
               for p in sorted(md[args.output].partitions)}
    request = [ConsumerGroupTopicPartitions(args.group, inputs)]

    def committed() -> int:
        result = admin.list_consumer_group_offsets(request)[args.group].result(10)
        return sum(tp.offset for tp in result.topic_partitions if tp.offset >= 0)

    def output_end() -> int:
        return sum(f.result(10).offset for f in admin.list_offsets(outputs).values())

    output_base = output_end()  # `output` is shared by the runs of one bench-streams
    if committed() != 0:
        sys.exit(f"streams_bench: group {args.group} already has committed offsets")

    engine = Engine(args.cmd, args.log)
    first_output = first_commit = last_output_change = None
    out_prev = 0
    done = None
    samples = []  # (seconds since spawn, committed, output records)
    while done is None:
        time.sleep(POLL_S)
        engine.check_alive()
        now = time.monotonic() - engine.start
        if now > args.timeout:
            engine.stop()
            sys.exit(f"streams_bench: committed offsets did not reach {args.records} within "
                     f"{args.timeout}s (last: {samples[-1] if samples else None})")
        c, out = committed(), output_end() - output_base
        samples.append((round(now, 2), c, out))
        if out > 0 and first_output is None:
            first_output = now
        # a growth of at most one offset per partition is taken for transaction markers
        # (exactly-once commits write one to each partition), not for results
        if out - out_prev > len(outputs):
            last_output_change = now
        out_prev = out
        if c > 0 and first_commit is None:
            first_commit = (now, c)
        if c >= args.records:
            done = now
    cpu, rss = engine.usage()
    status = engine.stop()
    startup = first_output if first_output is not None else done
    span = (last_output_change or done) - startup
    report = {
        "group": args.group,
        "records": args.records,
        "startup_s": round(startup, 3),
        "first_commit_s": round(first_commit[0], 3),
        "first_commit_records": first_commit[1],
        "done_s": round(done, 3),
        "records_per_s": round(args.records / done, 1),
        "after_startup_records_per_s": round(args.records / max(1e-9, done - startup), 1),
        "output_records_per_s": round(args.records / span, 1) if span > 0 else None,
        "output_records": out_prev,
        "cpu_s": cpu,
        "peak_rss_mib": rss,
        "exit_status": status,
        "load": os.getloadavg(),
    }
    if args.samples:
        report["samples"] = samples
    print(json.dumps(report), flush=True)
    return 0


# --- latency --------------------------------------------------------------------------

def percentile(sorted_values: list[float], q: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


def cmd_latency(args) -> int:
    admin = admin_client(args.bootstrap)
    parts = sorted(admin.list_topics(args.output, timeout=30).topics[args.output].partitions)
    latencies: list[float] = []  # ms, of the records produced after the warm-up
    seen = [0]
    stop = threading.Event()
    measure_from = [None]  # time.time_ns() from which produced records are measured

    def consume():
        consumer = Consumer({"bootstrap.servers": args.bootstrap, "group.id": "latency-probe",
                             "enable.auto.commit": False, "isolation.level": args.isolation,
                             "fetch.wait.max.ms": 10, "log_level": 3})
        consumer.assign([TopicPartition(args.output, p, 0) for p in parts])
        while not stop.is_set():
            for msg in consumer.consume(1000, 0.05):
                now = time.time_ns()
                if msg.error():
                    continue
                seen[0] += 1
                produced = int(msg.value()[:19])  # the stateless topology upper-cases: digits stay
                if measure_from[0] is not None and produced >= measure_from[0]:
                    latencies.append((now - produced) / 1e6)
        consumer.close()

    reader = threading.Thread(target=consume, daemon=True)
    reader.start()
    engine = Engine(args.cmd, args.log)
    producer = Producer({"bootstrap.servers": args.bootstrap, "linger.ms": 0, "acks": "all",
                         "log_level": 3})
    filler = b"-" * 100
    tick = 0.005  # wake every 5 ms and produce what the rate owes by now (catches up after a stall)
    start = time.monotonic()
    measured_expected = produced = 0
    while True:
        elapsed = time.monotonic() - start
        if elapsed >= args.warmup + args.seconds:
            break
        if measure_from[0] is None and elapsed >= args.warmup:
            measure_from[0] = time.time_ns()
        while produced < int(elapsed * args.rate):
            # every 10th value starts with 'x' and is dropped by the topology
            dropped = produced % 10 == 0
            value = (b"x" if dropped else b"") + b"%019d" % time.time_ns()
            value = (value + filler)[:100]
            producer.produce(args.topic, value, b"key-%d" % (produced % 10_000))
            if measure_from[0] is not None and not dropped:
                measured_expected += 1
            produced += 1
        producer.poll(0)
        engine.check_alive()
        time.sleep(tick)
    producer.flush(30)
    # wait for the last results (exactly-once: up to a commit interval later)
    deadline = time.monotonic() + args.drain
    while len(latencies) < measured_expected and time.monotonic() < deadline:
        time.sleep(0.1)
        engine.check_alive()
    stop.set()
    reader.join(10)
    cpu, rss = engine.usage()
    status = engine.stop()
    values = sorted(latencies)
    report = {
        "rate": args.rate, "seconds": args.seconds, "warmup_s": args.warmup,
        "isolation": args.isolation, "produced": produced,
        "measured_expected": measured_expected, "measured": len(values),
        "p50_ms": round(percentile(values, 0.50), 2) if values else None,
        "p99_ms": round(percentile(values, 0.99), 2) if values else None,
        "max_ms": round(values[-1], 2) if values else None,
        "mean_ms": round(statistics.fmean(values), 2) if values else None,
        "cpu_s": cpu, "peak_rss_mib": rss, "exit_status": status, "load": os.getloadavg(),
    }
    print(json.dumps(report), flush=True)
    return 0 if len(values) == measured_expected else 1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    t = sub.add_parser("topics")
    t.add_argument("-b", "--bootstrap", required=True)
    t.add_argument("--partitions", type=int, default=4)
    t.add_argument("--recreate", action="store_true")
    t.add_argument("names", nargs="+")
    for name in ("throughput", "latency"):
        p = sub.add_parser(name)
        p.add_argument("-b", "--bootstrap", required=True)
        p.add_argument("--topic", default="input")
        p.add_argument("--output", default="output")
        p.add_argument("--log", required=True, help="the engine's stdout and stderr")
        p.add_argument("cmd", nargs="+", help="-- the engine command")
    tp = sub.choices["throughput"]
    tp.add_argument("--group", required=True, help="the engine's app id")
    tp.add_argument("--records", type=int, required=True)
    tp.add_argument("--timeout", type=float, default=900)
    tp.add_argument("--samples", action="store_true", help="add every poll to the JSON")
    lt = sub.choices["latency"]
    lt.add_argument("--rate", type=int, default=5000, help="records/s")
    lt.add_argument("--seconds", type=float, default=30, help="measured produce time")
    lt.add_argument("--warmup", type=float, default=10, help="unmeasured produce time first")
    lt.add_argument("--drain", type=float, default=30, help="max wait for the last results")
    lt.add_argument("--isolation", default="read_uncommitted",
                    choices=["read_uncommitted", "read_committed"])
    args = ap.parse_args()
    return {"topics": cmd_topics, "throughput": cmd_throughput, "latency": cmd_latency}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
