import KafkaTestSupport
import Foundation
import KafkaProtocol
import NIOCore
import Testing

@testable import KafkaBroker

/// confluent-kafka (librdkafka 2.x) against the embedded broker started in this process.
@Suite(.timeLimit(.minutes(2))) struct ConfluentKafkaInteropTests {
    /// Records produced with each codec come back byte for byte, and the log holds the
    /// batches compressed with that codec, as the producer sent them.
    @Test func producesWithEveryCodecAndConsumesByteExact() async throws {
        try await withBroker { broker in
            let codecs = ["none", "gzip", "snappy", "lz4", "zstd"]
            for codec in codecs { try await createTopic(broker.bootstrapServers, "codec-\(codec)") }
            let produced = try await runPython(
                """
                import sys, json, os
                from confluent_kafka import Producer
                out = {}
                for codec in ["none", "gzip", "snappy", "lz4", "zstd"]:
                    p = Producer({"bootstrap.servers": sys.argv[1], "compression.type": codec, "enable.idempotence": True, "linger.ms": 5})
                    recs = []
                    for i in range(200):
                        key = None if i % 7 == 0 else ("key-%d" % i).encode()
                        value = None if i % 11 == 0 else os.urandom(i * 3 % 500) + b"x" * (i % 50)
                        headers = [("h%d" % (i % 3), os.urandom(4))] if i % 2 else None
                        p.produce("codec-" + codec, key=key, value=value, headers=headers, partition=0, timestamp=1700000000000 + i)
                        recs.append([None if key is None else key.hex(), None if value is None else value.hex(),
                                     [[k, v.hex()] for k, v in (headers or [])], 1700000000000 + i])
                    assert p.flush(20) == 0
                    out[codec] = recs
                print(json.dumps(out))
                """, [broker.bootstrapServers])
            let expected = try JSONSerialization.jsonObject(with: Data(produced.utf8)) as! [String: [[Any]]]
            for codec in codecs {
                let records = try await consumeWithRdkafka(broker.bootstrapServers, "codec-\(codec)")
                let want = expected[codec]!
                #expect(records.count == want.count, "codec \(codec)")
                for (i, (got, w)) in zip(records, want).enumerated() {
                    #expect(got["offset"] as? Int == i)
                    #expect((got["key"] as? String) == (w[0] as? String), "codec \(codec) record \(i) key")
                    #expect((got["value"] as? String) == (w[1] as? String), "codec \(codec) record \(i) value")
                    #expect((got["timestamp"] as? Int) == (w[3] as? Int))
                    let headers = (got["headers"] as? [[Any]] ?? []).map { "\($0[0])=\($0[1])" }
                    let wantHeaders = (w[2] as? [[Any]] ?? []).map { "\($0[0])=\($0[1])" }
                    #expect(headers == wantHeaders, "codec \(codec) record \(i) headers")
                }
                // Stored as sent: every batch in the log has the producer's codec.
                let dir = broker.dataDirectory + "/codec-\(codec)-0"
                let segment = try #require(try FileManager.default.contentsOfDirectory(atPath: dir).first { $0.hasSuffix(".log") })
                let bytes = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + segment))
                var reader = RecordSetReader(ByteBuffer(bytes: bytes))
                var batches = 0
                while let entry = try reader.next() {
                    guard case .batch(let batch) = entry else { Issue.record("not a v2 batch"); continue }
                    #expect(batch.compression.name == (codec == "none" ? "none" : codec))
                    batches += 1
                }
                #expect(batches > 0)
            }
        }
    }

    /// An idempotent producer's retried batch is not written twice, and a transactional
    /// producer's aborted records are invisible to a read_committed consumer (librdkafka
    /// uses the LSO and the aborted-transaction list), but visible to read_uncommitted.
    @Test func transactionalProducerAndReadCommittedConsumer() async throws {
        try await withBroker { broker in
            try await createTopic(broker.bootstrapServers, "txn", partitions: 2)
            try await runPython(
                """
                import sys
                from confluent_kafka import Producer
                p = Producer({"bootstrap.servers": sys.argv[1], "transactional.id": "txn-test-1", "linger.ms": 1})
                p.init_transactions(20)
                p.begin_transaction()
                for i in range(5): p.produce("txn", key=b"c1", value=b"commit-1-%d" % i, partition=i % 2)
                p.commit_transaction(20)
                p.begin_transaction()
                for i in range(5): p.produce("txn", key=b"a", value=b"abort-%d" % i, partition=i % 2)
                p.flush(10)
                p.abort_transaction(20)
                p.begin_transaction()
                for i in range(5): p.produce("txn", key=b"c2", value=b"commit-2-%d" % i, partition=i % 2)
                p.commit_transaction(20)
                """, [broker.bootstrapServers])
            let committed = try await consumeWithRdkafka(broker.bootstrapServers, "txn", isolation: "read_committed")
            let values = committed.compactMap { ($0["value"] as? String).flatMap { hexString($0) } }.sorted()
            #expect(values == ((0..<5).map { "commit-1-\($0)" } + (0..<5).map { "commit-2-\($0)" }).sorted())
            let uncommitted = try await consumeWithRdkafka(broker.bootstrapServers, "txn")
            #expect(uncommitted.count == 15)
            // Markers take offsets: 3 transactions × 2 partitions.
            let hw0 = await broker.core.highWatermark("txn", 0)
            let hw1 = await broker.core.highWatermark("txn", 1)
            #expect((hw0 ?? 0) + (hw1 ?? 0) == 15 + 6)
        }
    }

    /// Three confluent-kafka consumers in one group split six partitions between them, and
    /// when one leaves the other two take over its partitions; offsets are committed.
    @Test func consumerGroupOfThreeRebalances() async throws {
        try await withBroker { broker in
            try await createTopic(broker.bootstrapServers, "grouped", partitions: 6)
            let output = try await runPython(
                """
                import sys, time, json
                from confluent_kafka import Consumer, Producer
                bs = sys.argv[1]
                p = Producer({"bootstrap.servers": bs})
                for i in range(60): p.produce("grouped", value=b"%d" % i, partition=i % 6)
                p.flush(10)
                conf = {"bootstrap.servers": bs, "group.id": "three", "session.timeout.ms": 6000, "heartbeat.interval.ms": 300,
                        "auto.offset.reset": "earliest", "enable.auto.commit": False}
                cs = [Consumer(dict(conf, **{"client.id": "c%d" % i})) for i in range(3)]
                for c in cs: c.subscribe(["grouped"])
                seen = set()
                def spread():
                    return [sorted(tp.partition for tp in c.assignment()) for c in cs]
                deadline = time.time() + 40
                while time.time() < deadline:
                    for c in cs:
                        m = c.poll(0.05)
                        if m is not None and not m.error():
                            seen.add(int(m.value())); c.commit(message=m, asynchronous=False)
                    a = spread()
                    if all(len(x) == 2 for x in a) and len(seen) == 60: break
                first = spread()
                cs[2].close()
                rest = cs[:2]
                deadline = time.time() + 40
                while time.time() < deadline:
                    for c in rest: c.poll(0.05)
                    a = [sorted(tp.partition for tp in c.assignment()) for c in rest]
                    if sorted(a[0] + a[1]) == list(range(6)): break
                second = [sorted(tp.partition for tp in c.assignment()) for c in rest]
                committed = rest[0].committed([__import__("confluent_kafka").TopicPartition("grouped", i) for i in range(6)], timeout=10)
                for c in rest: c.close()
                print(json.dumps({"first": first, "second": second, "seen": len(seen), "committed": [tp.offset for tp in committed]}))
                """, [broker.bootstrapServers], timeout: 100)
            let result = try JSONSerialization.jsonObject(with: Data(output.utf8)) as! [String: Any]
            let first = result["first"] as! [[Int]]
            #expect(first.map(\.count) == [2, 2, 2])
            #expect(first.flatMap { $0 }.sorted() == Array(0..<6))
            let second = result["second"] as! [[Int]]
            #expect(second.flatMap { $0 }.sorted() == Array(0..<6))
            #expect(second.allSatisfy { $0.count == 3 })
            #expect(result["seen"] as? Int == 60)
            #expect(result["committed"] as? [Int] == Array(repeating: 10, count: 6))
        }
    }
}

func hexString(_ hex: String) -> String? {
    var bytes: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex {
        let next = hex.index(index, offsetBy: 2)
        guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
        bytes.append(byte)
        index = next
    }
    return String(decoding: bytes, as: UTF8.self)
}
