"""Self-check for mock_cluster.py: `mock_cluster.py --self-check`.

Starts mock_cluster.py as a child process, drives it only through its stdin
protocol, and checks each command's effect with real confluent-kafka clients.
Prints one line per check on stdout and exits non-zero on the first failure.
"""

from __future__ import annotations

import subprocess
import sys
import time

from confluent_kafka import Consumer, KafkaError, Producer, TopicPartition
from confluent_kafka.admin import AdminClient

QUIET = {"log_level": 0}  # the checks provoke disconnects on purpose


class CheckFailed(Exception):
    pass


def expect(cond: bool, what: str) -> None:
    if not cond:
        raise CheckFailed(what)


class Child:
    """mock_cluster.py in a child process, spoken to line by line."""

    def __init__(self, script: str, brokers: int) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, script, "--brokers", str(brokers)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        self.bootstrap = self.proc.stdout.readline().strip()
        expect(self.bootstrap.count(":") == brokers, f"bootstrap line {self.bootstrap!r}")

    def send(self, line: str) -> str:
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        return self.proc.stdout.readline().strip()

    def ok(self, line: str) -> str:
        answer = self.send(line)
        expect(answer == "ok" or answer.startswith("ok "), f"{line!r} answered {answer!r}")
        return answer

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def leaders(bootstrap: str, topic: str) -> dict[int, int]:
    md = AdminClient({"bootstrap.servers": bootstrap, **QUIET}).list_topics(topic, timeout=10)
    return {p.id: p.leader for p in md.topics[topic].partitions.values()}


def produce_one(producer: Producer, topic: str, partition: int, timeout: float = 30.0):
    """Produces one record and returns (error, seconds until its delivery report)."""
    result = {}

    def on_delivery(err, msg):
        result["err"] = err
        result["t"] = time.monotonic()

    start = time.monotonic()
    producer.produce(topic, key=b"k", value=b"v", partition=partition, on_delivery=on_delivery)
    producer.flush(timeout)
    expect("t" in result, f"no delivery report within {timeout}s")
    return result["err"], result["t"] - start


def produce_requests(child: Child) -> list[int]:
    """Broker ids of the Produce requests tracked since the last clear-requests."""
    words = child.ok("requests").split()[2:]
    return [int(b) for b, k in (w.split(":") for w in words) if k == "0"]


def run_self_check(script: str, brokers: int) -> int:
    if brokers < 2:
        print("self-check needs --brokers >= 2", file=sys.stderr)
        return 2
    checks = []

    def check(name):
        def wrap(fn):
            checks.append((name, fn))
            return fn
        return wrap

    child = Child(script, brokers)
    bs = child.bootstrap
    topic = "self-check"
    state: dict = {}

    @check("ping/help/unknown/arity")
    def _():
        child.ok("ping")
        expect("create-topic" in child.ok("help"), "help lists create-topic")
        expect(child.send("no-such-command").startswith("error "), "unknown command is an error")
        expect(child.send("rtt 1").startswith("error "), "missing argument is an error")
        expect(child.send("broker-down 999").startswith("error "), "unknown broker is an error")
        expect(child.ok("bootstraps") == "ok " + bs, "bootstraps repeats the first line")

    @check("create-topic + produce 100 keyed records + consume them back")
    def _():
        child.ok(f"create-topic {topic} 3 1")
        expect(child.send(f"create-topic {topic} 3 1").startswith("error TOPIC_ALREADY_EXISTS"),
               "second create-topic reports TOPIC_ALREADY_EXISTS")
        expect(len(leaders(bs, topic)) == 3, "topic has 3 partitions")
        producer = Producer({"bootstrap.servers": bs, "linger.ms": 5,
                             "topic.metadata.refresh.interval.ms": 1000, **QUIET})
        state["producer"] = producer
        delivered = {}

        def on_delivery(err, msg):
            expect(err is None, f"delivery error {err}")
            delivered[msg.key()] = (msg.partition(), msg.offset(), msg.value())

        for i in range(100):
            producer.produce(topic, key=b"key-%03d" % i, value=b"value-%03d" % i,
                             on_delivery=on_delivery)
        expect(producer.flush(30) == 0, "all 100 records flushed")
        expect(len(delivered) == 100, f"100 delivery reports, got {len(delivered)}")
        expect(len({p for p, _, _ in delivered.values()}) == 3, "keys spread over 3 partitions")
        consumer = Consumer({"bootstrap.servers": bs, "group.id": "self-check-assign",
                             "enable.auto.commit": False, **QUIET})
        consumer.assign([TopicPartition(topic, p, -2) for p in range(3)])  # -2 = beginning
        got = {}
        deadline = time.monotonic() + 30
        while len(got) < 100 and time.monotonic() < deadline:
            m = consumer.poll(0.5)
            if m is not None and not m.error():
                got[m.key()] = (m.partition(), m.offset(), m.value())
        consumer.close()
        expect(got == delivered, f"consumed {len(got)} records equal to the delivered ones")
        per = {}
        for p, o, _ in got.values():
            per.setdefault(p, []).append(o)
        for p, offs in per.items():
            expect(sorted(offs) == list(range(len(offs))), f"partition {p} offsets contiguous")

    @check("group-rebalance-delay + coordinator: subscribe and read all 100")
    def _():
        child.ok("group-rebalance-delay 0")
        child.ok("coordinator group self-check-group 2")
        consumer = Consumer({"bootstrap.servers": bs, "group.id": "self-check-group",
                             "auto.offset.reset": "earliest", **QUIET})
        consumer.subscribe([topic])
        n, start = 0, time.monotonic()
        while n < 100 and time.monotonic() - start < 30:
            m = consumer.poll(0.5)
            if m is not None and not m.error():
                n += 1
        state["group_join_s"] = time.monotonic() - start
        consumer.close()
        expect(n == 100, f"group consumer read {n} of 100")
        return f"{state['group_join_s']:.2f}s"

    @check("push-errors: retriable Produce errors are retried")
    def _():
        producer = state["producer"]
        child.ok("track-requests on")
        child.ok("clear-requests")
        child.ok("push-errors Produce NOT_ENOUGH_REPLICAS 19 NOT_ENOUGH_REPLICAS")
        err, _ = produce_one(producer, topic, 0)
        expect(err is None, f"delivered after retries, got {err}")
        n = len(produce_requests(child))
        expect(n == 4, f"4 Produce requests (3 failed + 1), saw {n}")
        return "4 Produce requests for 1 record"

    @check("push-errors: non-retriable error reaches the delivery report")
    def _():
        child.ok("push-errors 0 MSG_SIZE_TOO_LARGE")
        err, _ = produce_one(state["producer"], topic, 0)
        expect(err is not None and err.code() == KafkaError.MSG_SIZE_TOO_LARGE,
               f"delivery error MSG_SIZE_TOO_LARGE, got {err}")

    @check("push-errors _TRANSPORT disconnects; record still delivered; clear-errors")
    def _():
        child.ok("clear-requests")
        child.ok("push-errors Produce _TRANSPORT")
        err, _ = produce_one(state["producer"], topic, 0)
        expect(err is None, f"delivered after reconnect, got {err}")
        n = len(produce_requests(child))
        expect(n >= 2, f">= 2 Produce requests, saw {n}")
        child.ok("push-errors Produce NOT_ENOUGH_REPLICAS")
        child.ok("clear-errors Produce")
        child.ok("clear-requests")
        err, _ = produce_one(state["producer"], topic, 0)
        expect(err is None and len(produce_requests(child)) == 1, "cleared errors are not used")

    @check("broker-push-errors: error + RTT on the leader")
    def _():
        leader = leaders(bs, topic)[0]
        child.ok("clear-requests")
        child.ok(f"broker-push-errors {leader} Produce NOT_ENOUGH_REPLICAS 300 0 300")
        err, took = produce_one(state["producer"], topic, 0)
        expect(err is None, f"delivered, got {err}")
        expect(took >= 0.55, f"two delayed responses take >= 0.6s, took {took:.3f}s")
        reqs = produce_requests(child)
        expect(reqs == [leader, leader], f"2 Produce requests to broker {leader}, saw {reqs}")
        return f"{took:.2f}s"

    @check("rtt: delays a broker's responses, 0 restores")
    def _():
        leader = leaders(bs, topic)[0]
        child.ok(f"rtt {leader} 400")
        _, slow = produce_one(state["producer"], topic, 0)
        child.ok(f"rtt {leader} 0")
        _, fast = produce_one(state["producer"], topic, 0)
        expect(slow >= 0.38 and fast < 0.3, f"slow {slow:.3f}s, fast {fast:.3f}s")
        return f"{slow:.2f}s vs {fast:.3f}s"

    @check("broker-down holds records; broker-up delivers them")
    def _():
        leader = leaders(bs, topic)[1]
        child.ok(f"broker-down {leader}")
        producer = state["producer"]
        done = {}
        producer.produce(topic, key=b"down", value=b"v", partition=1,
                         on_delivery=lambda err, msg: done.setdefault("err", err))
        remaining = producer.flush(2)
        expect(remaining == 1 and not done, "record waits while its leader is down")
        child.ok(f"broker-up {leader}")
        start = time.monotonic()
        expect(producer.flush(30) == 0 and done.get("err") is None, "delivered after broker-up")
        return f"delivered {time.monotonic() - start:.2f}s after broker-up"

    @check("leader: moving a partition's leader around a down broker")
    def _():
        old = leaders(bs, topic)[2]
        new = next(b for b in range(1, brokers + 1) if b != old)
        child.ok(f"broker-down {old}")
        child.ok(f"leader {topic} 2 {new}")
        expect(leaders(bs, topic)[2] == new, f"metadata names broker {new} as leader")
        start = time.monotonic()
        err, _ = produce_one(state["producer"], topic, 2)
        expect(err is None, f"delivered to the new leader, got {err}")
        child.ok(f"broker-up {old}")
        return f"delivered {time.monotonic() - start:.2f}s after the move"

    @check("controller: Metadata/DescribeCluster report it")
    def _():
        admin = AdminClient({"bootstrap.servers": bs, **QUIET})
        expect(admin.list_topics(timeout=10).controller_id not in range(1, brokers + 1),
               "no controller by default")
        child.ok("controller 2")
        admin = AdminClient({"bootstrap.servers": bs, **QUIET})
        expect(admin.list_topics(timeout=10).controller_id == 2, "controller id 2")
        expect(admin.describe_cluster().result(10).controller.id == 2, "DescribeCluster controller")

    @check("topic-error: Metadata reports it, 0 clears it")
    def _():
        child.ok(f"topic-error {topic} UNKNOWN_TOPIC_OR_PART")
        admin = AdminClient({"bootstrap.servers": bs, **QUIET})
        err = admin.list_topics(topic, timeout=10).topics[topic].error
        expect(err is not None and err.code() == KafkaError.UNKNOWN_TOPIC_OR_PART, f"got {err}")
        child.ok(f"topic-error {topic} 0")
        expect(admin.list_topics(topic, timeout=10).topics[topic].error is None, "cleared")

    @check("apiversion: a disabled API is refused by the client")
    def _():
        child.ok("apiversion Metadata -1 -1")
        admin = AdminClient({"bootstrap.servers": bs, **QUIET})
        try:
            admin.list_topics(timeout=5)
            failed = False
        except Exception:  # noqa: BLE001 - any refusal counts
            failed = True
        child.ok("apiversion Metadata 0 12")
        expect(failed, "Metadata fails while the API is disabled")
        admin = AdminClient({"bootstrap.servers": bs, **QUIET})
        expect(topic in admin.list_topics(timeout=10).topics, "Metadata works again")

    @check("follower/delete-topic/track-requests off")
    def _():
        child.ok(f"follower {topic} 0 3")
        child.ok("track-requests off")
        child.ok(f"delete-topic {topic}")
        admin = AdminClient({"bootstrap.servers": bs, **QUIET})
        expect(topic not in admin.list_topics(timeout=10).topics, "topic gone after delete-topic")

    @check("quit ends the process")
    def _():
        state.pop("producer").flush(5)
        expect(child.send("quit") == "ok", "quit answers ok")
        expect(child.proc.wait(10) == 0, "exit status 0")

    @check("closing stdin ends the process")
    def _():
        other = Child(script, brokers)
        start = time.monotonic()
        other.proc.stdin.close()
        code = other.proc.wait(10)
        expect(code == 0, f"exit status {code}")
        return f"{time.monotonic() - start:.2f}s"

    try:
        for name, fn in checks:
            start = time.monotonic()
            note = fn()
            extra = f" ({note})" if note else ""
            print(f"PASS {name} [{time.monotonic() - start:.2f}s]{extra}", flush=True)
    except CheckFailed as e:
        print(f"FAIL {name}: {e}", flush=True)
        return 1
    finally:
        child.kill()
    print(f"self-check ok: {len(checks)} checks, librdkafka mock cluster with {brokers} brokers")
    return 0
