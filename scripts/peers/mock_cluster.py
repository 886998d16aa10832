#!/usr/bin/env python3
"""Runs librdkafka's mock Kafka cluster on loopback and controls it from stdin.

The cluster comes from the librdkafka shared library bundled in the
confluent-kafka wheel (scripts/peers/install puts it there), driven through
ctypes: rd_kafka_new -> rd_kafka_mock_cluster_new(rk, N).

Protocol (see docs/peers.md):
  * The first stdout line is the bootstrap list, e.g.
    "127.0.0.1:39813,127.0.0.1:42513,127.0.0.1:38137".
  * Then each stdin line is one command; each is answered with exactly one
    stdout line: "ok", "ok <data>" for queries, or "error <text>".
  * Blank lines and lines starting with '#' are ignored (no answer).
  * The process destroys the cluster and exits on "quit", when stdin closes,
    or on SIGTERM/SIGINT/SIGHUP.

Usage:
  mock_cluster.py [--brokers N] [--lib PATH] [--debug]
  mock_cluster.py --self-check [--brokers N]
"""

from __future__ import annotations

import argparse
import ctypes
import glob
import inspect
import os
import signal
import sys

HELP = """commands (ERR = error code number or name, e.g. 6 or NOT_LEADER_FOR_PARTITION
or _TRANSPORT; APIKEY = number or name, e.g. 0 or Produce; BROKERID -1 = all):
  create-topic NAME PARTITIONS REPLICATION
  delete-topic NAME
  topic-error NAME ERR                  (error returned in Metadata for NAME; 0 clears)
  push-errors APIKEY ERR [ERR...]       (cluster-wide, next requests of APIKEY fail in order)
  clear-errors APIKEY
  broker-push-errors BROKERID APIKEY ERR RTT_MS [ERR RTT_MS ...]
  broker-down BROKERID | broker-up BROKERID
  rtt BROKERID MS
  leader TOPIC PARTITION BROKERID       (-1 = leaderless)
  follower TOPIC PARTITION BROKERID     (preferred read replica)
  coordinator group|transaction KEY BROKERID
  controller BROKERID                   (Metadata controller id; default none)
  apiversion APIKEY MIN MAX             (-1 -1 disables the API)
  group-rebalance-delay MS              (group.initial.rebalance.delay.ms)
  track-requests on|off | requests | clear-requests
      requests -> "ok N BROKER:APIKEY ..." in arrival order
  bootstraps -> "ok <list>" | ping -> "ok" | help -> "ok <one-line summary>" | quit"""

# Kafka API keys by name (protocol guide); numbers are accepted too.
API_KEYS = {
    "Produce": 0, "Fetch": 1, "ListOffsets": 2, "Metadata": 3,
    "OffsetCommit": 8, "OffsetFetch": 9, "FindCoordinator": 10,
    "JoinGroup": 11, "Heartbeat": 12, "LeaveGroup": 13, "SyncGroup": 14,
    "DescribeGroups": 15, "ListGroups": 16, "SaslHandshake": 17,
    "ApiVersions": 18, "CreateTopics": 19, "DeleteTopics": 20,
    "DeleteRecords": 21, "InitProducerId": 22, "OffsetForLeaderEpoch": 23,
    "AddPartitionsToTxn": 24, "AddOffsetsToTxn": 25, "EndTxn": 26,
    "TxnOffsetCommit": 28, "DescribeConfigs": 32, "AlterConfigs": 33,
    "SaslAuthenticate": 36, "CreatePartitions": 37, "DeleteGroups": 42,
    "OffsetDelete": 47, "DescribeCluster": 60, "DescribeProducers": 61,
    "DescribeTransactions": 65, "ListTransactions": 66,
    "ConsumerGroupHeartbeat": 68, "ConsumerGroupDescribe": 69,
    "GetTelemetrySubscriptions": 71, "PushTelemetry": 72,
}
API_NAMES = {v: k for k, v in API_KEYS.items()}


def find_librdkafka() -> str:
    """Path of the librdkafka bundled in the confluent-kafka wheel.

    RDKAFKA_LIB overrides it; Debian's librdkafka.so.1 is the last resort.
    """
    override = os.environ.get("RDKAFKA_LIB")
    if override:
        return override
    try:
        import confluent_kafka  # noqa: PLC0415 - only to locate the wheel

        pkg = os.path.dirname(confluent_kafka.__file__)
        site = os.path.dirname(pkg)
        for pattern in (
            os.path.join(site, "confluent_kafka.libs", "librdkafka*.so*"),
            os.path.join(pkg, ".libs", "librdkafka*.so*"),
            os.path.join(pkg, "librdkafka*.so*"),
            os.path.join(site, "confluent_kafka", ".dylibs", "librdkafka*.dylib"),
        ):
            hits = sorted(glob.glob(pattern))
            if hits:
                return hits[0]
    except ImportError:
        pass
    return "librdkafka.so.1"


class ErrDesc(ctypes.Structure):
    _fields_ = [("code", ctypes.c_int), ("name", ctypes.c_char_p), ("desc", ctypes.c_char_p)]


class MockCluster:
    """One mock cluster plus the rd_kafka_t handle that owns it."""

    def __init__(self, brokers: int, lib_path: str, debug: bool = False) -> None:
        self.lib = lib = ctypes.CDLL(lib_path)
        self.lib_path = lib_path
        vp, ci, c32, c16, cs, csz = (ctypes.c_void_p, ctypes.c_int, ctypes.c_int32,
                                     ctypes.c_int16, ctypes.c_char_p, ctypes.c_size_t)
        sig = {
            "rd_kafka_version_str": (cs, []),
            "rd_kafka_conf_new": (vp, []),
            "rd_kafka_conf_set": (ci, [vp, cs, cs, cs, csz]),
            "rd_kafka_new": (vp, [ci, vp, cs, csz]),
            "rd_kafka_destroy": (None, [vp]),
            "rd_kafka_err2name": (cs, [ci]),
            "rd_kafka_err2str": (cs, [ci]),
            "rd_kafka_get_err_descs": (None, [ctypes.POINTER(ctypes.POINTER(ErrDesc)),
                                              ctypes.POINTER(csz)]),
            "rd_kafka_mock_cluster_new": (vp, [vp, ci]),
            "rd_kafka_mock_cluster_destroy": (None, [vp]),
            "rd_kafka_mock_cluster_bootstraps": (cs, [vp]),
            "rd_kafka_mock_topic_create": (ci, [vp, cs, ci, ci]),
            "rd_kafka_mock_topic_delete": (ci, [vp, cs]),
            "rd_kafka_mock_topic_set_error": (None, [vp, cs, ci]),
            "rd_kafka_mock_push_request_errors_array": (None, [vp, c16, csz,
                                                               ctypes.POINTER(ci)]),
            "rd_kafka_mock_clear_request_errors": (None, [vp, c16]),
            "rd_kafka_mock_broker_set_down": (ci, [vp, c32]),
            "rd_kafka_mock_broker_set_up": (ci, [vp, c32]),
            "rd_kafka_mock_broker_set_rtt": (ci, [vp, c32, ci]),
            "rd_kafka_mock_partition_set_leader": (ci, [vp, cs, c32, c32]),
            "rd_kafka_mock_partition_set_follower": (ci, [vp, cs, c32, c32]),
            "rd_kafka_mock_coordinator_set": (ci, [vp, cs, cs, c32]),
            "rd_kafka_mock_set_apiversion": (ci, [vp, c16, c16, c16]),
            # Returns void in some releases; the result is ignored either way.
            "rd_kafka_mock_set_controller_id": (None, [vp, c32]),
            "rd_kafka_mock_group_initial_rebalance_delay_ms": (None, [vp, c32]),
            "rd_kafka_mock_start_request_tracking": (None, [vp]),
            "rd_kafka_mock_stop_request_tracking": (None, [vp]),
            "rd_kafka_mock_clear_requests": (None, [vp]),
            "rd_kafka_mock_get_requests": (ctypes.POINTER(vp), [vp, ctypes.POINTER(csz)]),
            "rd_kafka_mock_request_id": (c32, [vp]),
            "rd_kafka_mock_request_api_key": (c16, [vp]),
            "rd_kafka_mock_request_destroy": (None, [vp]),
            "rd_kafka_mock_request_destroy_array": (None, [ctypes.POINTER(vp), csz]),
        }
        self.has = set()
        for name, (res, args) in sig.items():
            fn = getattr(lib, name, None)
            if fn is None:
                continue
            fn.restype, fn.argtypes = res, args
            self.has.add(name)
        for required in ("rd_kafka_new", "rd_kafka_mock_cluster_new",
                         "rd_kafka_mock_cluster_bootstraps"):
            if required not in self.has:
                raise RuntimeError(f"{lib_path} has no {required}")
        # Variadic: (mcluster, int32 broker, int16 apikey, size_t cnt, ...(int err, int rtt)).
        # Declared per call with the exact argument count (see broker_push_errors).
        self._broker_push = getattr(lib, "rd_kafka_mock_broker_push_request_error_rtts", None)
        self._push_variadic = getattr(lib, "rd_kafka_mock_push_request_errors", None)
        if self._broker_push is not None:
            self._broker_push.restype = ci

        self.err_by_name: dict[str, int] = {}
        if "rd_kafka_get_err_descs" in self.has:
            descs = ctypes.POINTER(ErrDesc)()
            cnt = csz()
            lib.rd_kafka_get_err_descs(ctypes.byref(descs), ctypes.byref(cnt))
            for i in range(cnt.value):
                if descs[i].name:
                    self.err_by_name[descs[i].name.decode()] = descs[i].code

        conf = lib.rd_kafka_conf_new()
        errstr = ctypes.create_string_buffer(512)
        # The handle only hosts the cluster; it never connects anywhere. Level 4
        # hides its "No bootstrap.servers configured" notice, keeps warnings.
        settings = [(b"log_level", b"7" if debug else b"4")]
        if debug:
            settings.append((b"debug", b"mock,broker,protocol"))
        for key, value in settings:
            if lib.rd_kafka_conf_set(conf, key, value, errstr, 512) != 0:
                raise RuntimeError(f"rd_kafka_conf_set {key!r}: {errstr.value.decode()}")
        self.rk = lib.rd_kafka_new(0, conf, errstr, 512)  # 0 = RD_KAFKA_PRODUCER
        if not self.rk:
            raise RuntimeError(f"rd_kafka_new: {errstr.value.decode()}")
        self.mc = lib.rd_kafka_mock_cluster_new(self.rk, brokers)
        if not self.mc:
            lib.rd_kafka_destroy(self.rk)
            raise RuntimeError("rd_kafka_mock_cluster_new failed")
        self.bootstraps = lib.rd_kafka_mock_cluster_bootstraps(self.mc).decode()

    def close(self) -> None:
        if self.mc:
            self.lib.rd_kafka_mock_cluster_destroy(self.mc)
            self.mc = None
        if self.rk:
            self.lib.rd_kafka_destroy(self.rk)
            self.rk = None

    # -- argument parsing -------------------------------------------------

    def err_code(self, text: str) -> int:
        try:
            return int(text, 0)
        except ValueError:
            pass
        name = text.upper()
        for candidate in (name, name.lstrip("_"), "_" + name.lstrip("_")):
            if candidate in self.err_by_name:
                return self.err_by_name[candidate]
        raise ValueError(f"unknown error code {text!r}")

    @staticmethod
    def api_key(text: str) -> int:
        try:
            return int(text, 0)
        except ValueError:
            pass
        for name, key in API_KEYS.items():
            if name.lower() == text.lower():
                return key
        raise ValueError(f"unknown api key {text!r}")

    def _result(self, err: int) -> str:
        if err == 0:
            return "ok"
        name = self.lib.rd_kafka_err2name(err).decode()
        desc = self.lib.rd_kafka_err2str(err).decode()
        return f"error {name} ({err}): {desc}"

    def _need(self, symbol: str) -> None:
        if symbol not in self.has:
            raise ValueError(f"{symbol} is not in {os.path.basename(self.lib_path)}")

    # -- commands ----------------------------------------------------------

    def execute(self, line: str) -> str:
        words = line.split()
        cmd, args = words[0].lower(), words[1:]
        handler = getattr(self, "cmd_" + cmd.replace("-", "_"), None)
        if handler is None:
            return f"error unknown command {cmd!r} (try help)"
        try:
            inspect.signature(handler).bind(*args)
        except TypeError:
            return f"error wrong number of arguments for {cmd!r} (try help)"
        try:
            return handler(*args)
        except ValueError as e:
            return f"error {e}"

    def cmd_ping(self) -> str:
        return "ok"

    def cmd_help(self) -> str:
        lines = [" ".join(l.split()) for l in HELP.splitlines()[2:]
                 if l.startswith("  ") and not l.startswith("    ")]
        return "ok " + " ; ".join(lines)

    def cmd_bootstraps(self) -> str:
        return "ok " + self.bootstraps

    def cmd_create_topic(self, name: str, partitions: str, replication: str) -> str:
        return self._result(self.lib.rd_kafka_mock_topic_create(
            self.mc, name.encode(), int(partitions), int(replication)))

    def cmd_delete_topic(self, name: str) -> str:
        self._need("rd_kafka_mock_topic_delete")
        return self._result(self.lib.rd_kafka_mock_topic_delete(self.mc, name.encode()))

    def cmd_topic_error(self, name: str, code: str) -> str:
        self.lib.rd_kafka_mock_topic_set_error(self.mc, name.encode(), self.err_code(code))
        return "ok"

    def cmd_push_errors(self, apikey: str, *codes: str) -> str:
        if not codes:
            raise ValueError("push-errors needs at least one error code")
        key, errs = self.api_key(apikey), [self.err_code(c) for c in codes]
        if "rd_kafka_mock_push_request_errors_array" in self.has:
            arr = (ctypes.c_int * len(errs))(*errs)
            self.lib.rd_kafka_mock_push_request_errors_array(self.mc, key, len(errs), arr)
        else:  # variadic fallback: declare exactly this call's argument list
            fn = self._push_variadic
            fn.restype = None
            fn.argtypes = [ctypes.c_void_p, ctypes.c_int16, ctypes.c_size_t] + \
                [ctypes.c_int] * len(errs)
            fn(self.mc, key, len(errs), *errs)
        return "ok"

    def cmd_clear_errors(self, apikey: str) -> str:
        self.lib.rd_kafka_mock_clear_request_errors(self.mc, self.api_key(apikey))
        return "ok"

    def cmd_broker_push_errors(self, broker: str, apikey: str, *pairs: str) -> str:
        if self._broker_push is None:
            raise ValueError("rd_kafka_mock_broker_push_request_error_rtts is not available")
        if not pairs or len(pairs) % 2:
            raise ValueError("broker-push-errors needs ERR RTT_MS pairs")
        flat: list[int] = []
        for i in range(0, len(pairs), 2):
            flat += [self.err_code(pairs[i]), int(pairs[i + 1])]
        fn = self._broker_push
        # Variadic C function: each (err, rtt) is promoted to int; declare this call's shape.
        fn.argtypes = [ctypes.c_void_p, ctypes.c_int32, ctypes.c_int16, ctypes.c_size_t] + \
            [ctypes.c_int] * len(flat)
        return self._result(fn(self.mc, int(broker), self.api_key(apikey), len(flat) // 2, *flat))

    def cmd_broker_down(self, broker: str) -> str:
        return self._result(self.lib.rd_kafka_mock_broker_set_down(self.mc, int(broker)))

    def cmd_broker_up(self, broker: str) -> str:
        return self._result(self.lib.rd_kafka_mock_broker_set_up(self.mc, int(broker)))

    def cmd_rtt(self, broker: str, ms: str) -> str:
        return self._result(self.lib.rd_kafka_mock_broker_set_rtt(self.mc, int(broker), int(ms)))

    def cmd_leader(self, topic: str, partition: str, broker: str) -> str:
        return self._result(self.lib.rd_kafka_mock_partition_set_leader(
            self.mc, topic.encode(), int(partition), int(broker)))

    def cmd_follower(self, topic: str, partition: str, broker: str) -> str:
        return self._result(self.lib.rd_kafka_mock_partition_set_follower(
            self.mc, topic.encode(), int(partition), int(broker)))

    def cmd_coordinator(self, key_type: str, key: str, broker: str) -> str:
        if key_type not in ("group", "transaction"):
            raise ValueError("coordinator type must be group or transaction")
        return self._result(self.lib.rd_kafka_mock_coordinator_set(
            self.mc, key_type.encode(), key.encode(), int(broker)))

    def cmd_controller(self, broker: str) -> str:
        self._need("rd_kafka_mock_set_controller_id")
        self.lib.rd_kafka_mock_set_controller_id(self.mc, int(broker))
        return "ok"

    def cmd_apiversion(self, apikey: str, lo: str, hi: str) -> str:
        return self._result(self.lib.rd_kafka_mock_set_apiversion(
            self.mc, self.api_key(apikey), int(lo), int(hi)))

    def cmd_group_rebalance_delay(self, ms: str) -> str:
        self._need("rd_kafka_mock_group_initial_rebalance_delay_ms")
        self.lib.rd_kafka_mock_group_initial_rebalance_delay_ms(self.mc, int(ms))
        return "ok"

    def cmd_track_requests(self, state: str) -> str:
        self._need("rd_kafka_mock_start_request_tracking")
        if state == "on":
            self.lib.rd_kafka_mock_start_request_tracking(self.mc)
        elif state == "off":
            self.lib.rd_kafka_mock_stop_request_tracking(self.mc)
        else:
            raise ValueError("track-requests takes on or off")
        return "ok"

    def cmd_clear_requests(self) -> str:
        self._need("rd_kafka_mock_clear_requests")
        self.lib.rd_kafka_mock_clear_requests(self.mc)
        return "ok"

    def cmd_requests(self) -> str:
        self._need("rd_kafka_mock_get_requests")
        cnt = ctypes.c_size_t()
        reqs = self.lib.rd_kafka_mock_get_requests(self.mc, ctypes.byref(cnt))
        out = []
        for i in range(cnt.value):
            out.append(f"{self.lib.rd_kafka_mock_request_id(reqs[i])}:"
                       f"{self.lib.rd_kafka_mock_request_api_key(reqs[i])}")
        if reqs:
            if "rd_kafka_mock_request_destroy_array" in self.has:
                self.lib.rd_kafka_mock_request_destroy_array(reqs, cnt.value)
            else:
                for i in range(cnt.value):
                    self.lib.rd_kafka_mock_request_destroy(reqs[i])
                ctypes.CDLL(None).free(ctypes.cast(reqs, ctypes.c_void_p))
        return " ".join(["ok", str(cnt.value)] + out)


REQUIRED = ("rd_kafka_new", "rd_kafka_mock_cluster_new", "rd_kafka_mock_cluster_bootstraps",
            "rd_kafka_mock_topic_create", "rd_kafka_mock_push_request_errors",
            "rd_kafka_mock_broker_set_down", "rd_kafka_mock_broker_set_up",
            "rd_kafka_mock_partition_set_leader", "rd_kafka_mock_broker_set_rtt")


def check_lib(path: str) -> int:
    try:
        lib = ctypes.CDLL(path)
    except OSError as e:
        print(f"mock_cluster: cannot load librdkafka: {e}", file=sys.stderr)
        return 1
    absent = [s for s in REQUIRED if not hasattr(lib, s)]
    if absent:
        print(f"mock_cluster: {path} lacks {', '.join(absent)}", file=sys.stderr)
        return 1
    return 0


def serve(args: argparse.Namespace) -> int:
    cluster = MockCluster(args.brokers, args.lib or find_librdkafka(), args.debug)

    def on_signal(signum, _frame):
        raise SystemExit(128 + signum)

    for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(s, on_signal)
    out = sys.stdout
    try:
        out.write(cluster.bootstraps + "\n")
        out.flush()
        for raw in sys.stdin:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if line.split()[0].lower() == "quit":
                out.write("ok\n")
                out.flush()
                break
            out.write(cluster.execute(line) + "\n")
            out.flush()
    except BrokenPipeError:
        pass
    finally:
        cluster.close()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description="librdkafka mock cluster controlled by stdin commands",
        epilog=HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--brokers", type=int, default=3, help="number of brokers (default 3)")
    parser.add_argument("--lib", help="librdkafka shared library (default: the one in "
                        "the confluent-kafka wheel; env RDKAFKA_LIB)")
    parser.add_argument("--debug", action="store_true", help="librdkafka mock debug logs on stderr")
    parser.add_argument("--check-lib", action="store_true",
                        help="only check that librdkafka loads and has the mock API, then exit")
    parser.add_argument("--self-check", action="store_true",
                        help="start a cluster as a child process and exercise every command "
                        "with confluent-kafka clients")
    args = parser.parse_args()
    if args.check_lib:
        return check_lib(args.lib or find_librdkafka())
    if args.self_check:
        sys.dont_write_bytecode = True  # no __pycache__ in the repository
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        from mock_cluster_check import run_self_check  # noqa: PLC0415

        return run_self_check(os.path.abspath(__file__), args.brokers)
    return serve(args)


if __name__ == "__main__":
    sys.exit(main())
