import Foundation
import KafkaStreams
import KafkaStreamsTesting
import Testing

/// One input of a join step table: which topic, key, value (`nil`: a tombstone) and time.
struct JoinStep {
    enum Side: String { case left, right }
    let side: Side
    let key: String
    let value: String?
    let time: Int64

    static func left(_ key: String, _ value: String?, _ time: Int64) -> JoinStep {
        JoinStep(side: .left, key: key, value: value, time: time)
    }
    static func right(_ key: String, _ value: String?, _ time: Int64) -> JoinStep {
        JoinStep(side: .right, key: key, value: value, time: time)
    }
}

/// Runs join topologies that read `left` and `right` and write `out`, step by step, and
/// renders what each step emitted. The same runs fill the step tables of `docs/joins.md`.
enum JoinScenario {
    /// The joiner every scenario uses: Kafka's documentation writes results as `[left, right]`.
    @Sendable static func pair(_ left: String?, _ right: String?) -> String { "[\(left ?? "null"), \(right ?? "null")]" }

    static func driver(_ topology: Topology) throws -> TopologyTestDriver {
        try TopologyTestDriver(topology, config: StreamsConfig(applicationID: "joins"), initialWallClockTime: 0)
    }

    /// Pipes each step (stream topics take non-null values; table topics may take
    /// tombstones) and returns, per step, the records written to `out` as `key=value @time`.
    static func run(_ topology: Topology, _ steps: [JoinStep], leftIsTable: Bool = false, rightIsTable: Bool = false) throws
        -> [[String]]
    {
        let d = try driver(topology)
        let left = d.inputTopic("left", key: .string, value: .optional(.string))
        let right = d.inputTopic("right", key: .string, value: .optional(.string))
        let out = d.outputTopic("out", key: .string, value: .optional(.string))
        var result: [[String]] = []
        for step in steps {
            let input = step.side == .left ? left : right
            try input.pipeInput(TestRecord(key: step.key, value: step.value, timestamp: step.time))
            result.append(try out.readRecordsToList().map(render))
        }
        return result
    }

    static func render(_ record: TestRecord<String, String?>) -> String {
        "\(record.key ?? "null")=\(record.value.flatMap { $0 } ?? "null") @\(record.timestamp ?? -1)"
    }

    /// A markdown step table: the inputs, then one column of outputs per join kind.
    static func table(_ steps: [JoinStep], columns: [(String, [[String]])]) -> String {
        var lines = ["| # | input | key | value | time | " + columns.map(\.0).joined(separator: " | ") + " |"]
        lines.append("|---|---|---|---|---|" + columns.map { _ in "---|" }.joined())
        for (i, step) in steps.enumerated() {
            let outputs = columns.map { column in column.1[i].map { "`\($0)`" }.joined(separator: "<br>") }
            lines.append(
                "| \(i + 1) | \(step.side.rawValue) | \(step.key) | \(step.value ?? "null") | \(step.time) | "
                    + outputs.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n")
    }

    /// Compares a rendered table with the block `<!-- table:NAME -->`…`<!-- /table:NAME -->`
    /// of docs/joins.md; with `UPDATE_JOIN_DOCS=1` in the environment, rewrites the block.
    static func checkDocTable(_ name: String, _ rendered: String) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../docs/joins.md")
            .standardized
        var text = try String(contentsOf: url, encoding: .utf8)
        let open = "<!-- table:\(name) -->\n"
        let close = "\n<!-- /table:\(name) -->"
        guard let start = text.range(of: open), let end = text.range(of: close, range: start.upperBound..<text.endIndex) else {
            Issue.record("docs/joins.md has no block \(open)…\(close)")
            return
        }
        let current = String(text[start.upperBound..<end.lowerBound])
        if current == rendered { return }
        if ProcessInfo.processInfo.environment["UPDATE_JOIN_DOCS"] == "1" {
            text.replaceSubrange(start.upperBound..<end.lowerBound, with: rendered)
            try text.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        Issue.record("docs/joins.md table \(name) is out of date; run with UPDATE_JOIN_DOCS=1. Rendered:\n\(rendered)")
    }
}
