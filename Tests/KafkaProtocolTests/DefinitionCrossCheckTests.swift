import Foundation
import KafkaProtocol
import Testing

// The message definitions (Sources/KafkaProtocol/Definitions) against Kafka's own JSON message
// definitions, and the generated Swift files against the definitions.
//
// Field-by-field comparison: `scripts/generate-protocol --check-json DIR`, run from here. It uses
// the generator's own definition parser, so it checks exactly what the generated code is made
// from (a second parser in Swift could disagree with the generator and hide a difference). The
// Swift side checks independently, with JSONSerialization, what the compiled types say about
// themselves: API key, kind, versions and flexible versions.
//
// The JSON tests need Kafka's JSON files, which are not in this repository. They run when the
// environment variable KAFKA_PROTOCOL_JSON_DIR names a folder of them, for example
//     KAFKA_PROTOCOL_JSON_DIR=../shared/kafka-protocol swift test --filter KafkaProtocolTests
// and are reported as skipped (not passed) otherwise.

private let jsonDirectory: String? = {
    guard let value = ProcessInfo.processInfo.environment["KAFKA_PROTOCOL_JSON_DIR"], !value.isEmpty else { return nil }
    return value
}()

private let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // KafkaProtocolTests
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()

private let generator = repositoryRoot.appendingPathComponent("scripts/generate-protocol").path
private let definitionsDirectory = repositoryRoot.appendingPathComponent("Sources/KafkaProtocol/Definitions")

/// Runs `python3 scripts/generate-protocol <arguments>`; returns the exit status and the output.
private func runGenerator(_ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", generator] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

private let pythonAvailable: Bool = {
    (try? runGenerator(["--help"]))?.status == 0
}()

/// Kafka's JSON with its `//` comments removed (outside strings).
private func loadKafkaJSON(_ url: URL) throws -> [String: Any] {
    let text = try String(contentsOf: url, encoding: .utf8)
    var output = ""
    var inString = false
    var escaped = false
    var index = text.startIndex
    while index < text.endIndex {
        let character = text[index]
        if inString {
            output.append(character)
            if escaped {
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "\"" {
                inString = false
            }
        } else if character == "\"" {
            inString = true
            output.append(character)
        } else if character == "/", text[text.index(after: index)...].hasPrefix("/") {
            while index < text.endIndex, text[index] != "\n" { index = text.index(after: index) }
            continue
        } else {
            output.append(character)
        }
        index = text.index(after: index)
    }
    let object = try JSONSerialization.jsonObject(with: Data(output.utf8))
    guard let dictionary = object as? [String: Any] else { throw CocoaError(.propertyListReadCorrupt) }
    return dictionary
}

/// Kafka's version notation ("3+", "0-4", "2", "none") as a set of versions up to `limit`.
private func kafkaVersions(_ text: String, limit: Int16 = 100) -> Set<Int16> {
    if text == "none" { return [] }
    if text.hasSuffix("+"), let low = Int16(text.dropLast()) { return Set(low...limit) }
    let parts = text.split(separator: "-")
    if parts.count == 2, let low = Int16(parts[0]), let high = Int16(parts[1]) { return Set(low...high) }
    if let single = Int16(text) { return [single] }
    Issue.record("bad version range \(text)")
    return []
}

/// The `json=` markers on a definition's first line (documented deviations from the JSON).
private func messageDeviations(_ name: String) throws -> Set<String> {
    let text = try String(contentsOf: definitionsDirectory.appendingPathComponent("\(name).def"), encoding: .utf8)
    guard
        let header = text.split(separator: "\n").first(where: {
            !$0.hasPrefix("#") && !$0.trimmingCharacters(in: .whitespaces).isEmpty
        })
    else { return [] }
    let code = header.components(separatedBy: "//")[0]
    for token in code.split(separator: " ") where token.hasPrefix("json=") {
        return Set(token.dropFirst(5).split(separator: ",").map(String.init))
    }
    return []
}

@Suite("Definitions")
struct DefinitionCrossCheckTests {
    @Test("every definition file has a generated type and the other way round")
    func definitionsMatchGeneratedTypes() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: definitionsDirectory.path)
        let defined = Set(files.filter { $0.hasSuffix(".def") }.map { String($0.dropLast(4)) })
        let generated = Set(allMessageRoundTripCases.map(\.name))
        #expect(defined == generated)
        #expect(!files.contains(".keep"))
    }

    @Test("the API version table lists every generated request with its versions")
    func apiVersionTable() {
        let requests = allMessageRoundTripCases.filter { $0.kind == "request" }
        #expect(KafkaApiVersionTable.implemented.entries.count == requests.count)
        for request in requests {
            let entry = KafkaApiVersionTable.implemented.entry(for: ApiKey(request.apiKey ?? -1))
            #expect(entry?.versions == request.versions, "\(request.name)")
            #expect(entry?.firstFlexibleVersion == request.versions.first(where: request.isFlexible), "\(request.name)")
        }
        // A request and its response share key, versions and flexible versions.
        for request in requests {
            let responseName = request.name.dropLast("Request".count) + "Response"
            guard let response = allMessageRoundTripCases.first(where: { $0.name == responseName }) else {
                Issue.record("\(request.name) has no response")
                continue
            }
            #expect(response.apiKey == request.apiKey)
            #expect(response.versions == request.versions)
            #expect(request.versions.map(request.isFlexible) == response.versions.map(response.isFlexible))
        }
    }

    /// Skipped unless python3 can run the generator; python3 is what regenerates the files, so a
    /// machine without it cannot have changed them either.
    @Test(
        "the generated Swift files are up to date with the definitions",
        .enabled(if: pythonAvailable, "python3 is needed to run scripts/generate-protocol --check")
    )
    func generatedFilesAreUpToDate() throws {
        let (status, output) = try runGenerator(["--check"])
        #expect(status == 0, "scripts/generate-protocol --check:\n\(output)")
    }

    /// Skipped (reported as skipped, not as passed) unless KAFKA_PROTOCOL_JSON_DIR is set.
    @Test(
        "the definitions agree with Kafka's JSON field by field",
        .enabled(
            if: jsonDirectory != nil && pythonAvailable,
            "set KAFKA_PROTOCOL_JSON_DIR to a folder of Kafka's JSON message definitions")
    )
    func definitionsAgreeWithKafkaJSON() throws {
        let directory = try #require(jsonDirectory)
        let (status, output) = try runGenerator(["--check-json", directory])
        let lines = output.split(separator: "\n").map(String.init)
        for line in lines where line.hasPrefix("DIFFERENCE: ") {
            Issue.record(Comment(rawValue: line))
        }
        #expect(status == 0, "scripts/generate-protocol --check-json \(directory):\n\(output)")
        // Every definition file was checked (counted here, not written down: a new API's
        // definitions raise the number).
        let definitionCount = try FileManager.default.contentsOfDirectory(atPath: definitionsDirectory.path)
            .filter { $0.hasSuffix(".def") }.count
        #expect(definitionCount > 0)
        #expect(lines.last?.hasPrefix("checked \(definitionCount) definitions against ") == true, "\(output)")
    }

    /// The checker is not vacuous: a one-attribute change in a copy of the JSON is reported.
    @Test(
        "the JSON cross-check reports a changed field",
        .enabled(
            if: jsonDirectory != nil && pythonAvailable,
            "set KAFKA_PROTOCOL_JSON_DIR to a folder of Kafka's JSON message definitions")
    )
    func crossCheckDetectsDifferences() throws {
        let source = URL(fileURLWithPath: try #require(jsonDirectory))
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("kafka-json-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: source, to: copy)
        defer { try? FileManager.default.removeItem(at: copy) }
        let file = copy.appendingPathComponent("MetadataResponse.json")
        let original = try String(contentsOf: file, encoding: .utf8)
        let changed = original.replacingOccurrences(
            of: #"{ "name": "LeaderEpoch", "type": "int32", "versions": "7+""#,
            with: #"{ "name": "LeaderEpoch", "type": "int32", "versions": "6+""#
        )
        try #require(changed != original, "MetadataResponse.json no longer has the line this test changes")
        try changed.write(to: file, atomically: true, encoding: .utf8)
        let (status, output) = try runGenerator(["--check-json", copy.path])
        #expect(status == 1)
        #expect(
            output.contains("DIFFERENCE: MetadataResponse.Topics.Partitions.LeaderEpoch: versions: JSON 6-9, definition 7-9"),
            "\(output)")
    }

    /// Independent of the generator: what the compiled types say about themselves, against the JSON.
    @Test(
        "the generated types' API keys, versions and flexible versions agree with Kafka's JSON",
        .enabled(if: jsonDirectory != nil, "set KAFKA_PROTOCOL_JSON_DIR to a folder of Kafka's JSON message definitions")
    )
    func generatedTypesAgreeWithKafkaJSON() throws {
        let directory = URL(fileURLWithPath: try #require(jsonDirectory))
        for message in allMessageRoundTripCases {
            let json = try loadKafkaJSON(directory.appendingPathComponent("\(message.name).json"))
            #expect(json["name"] as? String == message.name)
            #expect(json["type"] as? String == message.kind, "\(message.name)")
            #expect((json["apiKey"] as? NSNumber)?.int16Value == message.apiKey, "\(message.name)")

            let valid = kafkaVersions(try #require(json["validVersions"] as? String))
            #expect(Set(message.versions).isSubset(of: valid), "\(message.name) implements versions the JSON lacks")

            let deviations = try messageDeviations(message.name)
            let flexible = kafkaVersions(json["flexibleVersions"] as? String ?? "none")
            let mismatches = message.versions.filter { flexible.contains($0) != message.isFlexible($0) }
            if deviations.contains("flexible") {
                #expect(!mismatches.isEmpty, "\(message.name) is marked json=flexible but agrees with the JSON")
            } else {
                #expect(mismatches.isEmpty, "\(message.name): flexible versions differ from the JSON at \(mismatches)")
            }
        }
    }
}
