import Foundation
import KafkaStreams
import Testing

@testable import KafkaStreamsService

@Suite("ServiceConfiguration")
struct ServiceConfigurationTests {
    @Test("flags beat environment variables, which beat the file, which beats the defaults")
    func precedence() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("svc-config-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("service.json").path
        try Data(
            #"{"application.id": "from-file", "num.stream.threads": 3, "commit.interval.ms": 250, "processing": {"guarantee": "exactly_once_v2"}}"#
                .utf8
        ).write(to: URL(fileURLWithPath: file))
        let configuration = try await ServiceConfiguration.load(
            arguments: ["program", "--config-file", file, "--num-stream-threads", "2", "--http-port", "9099"],
            environment: ["APPLICATION_ID": "from-env", "NUM_STREAM_THREADS": "5", "STATE_DIR": "/tmp/from-env"],
            defaults: ["application.id": "default-id", "state.dir": "/tmp/default", "linger.ms": "7"])
        #expect(configuration.streams.applicationID == "from-env")
        #expect(configuration.streams.numStreamThreads == 2)
        #expect(configuration.streams.stateDirectory == "/tmp/from-env")
        #expect(configuration.streams.commitInterval == .milliseconds(250))
        #expect(configuration.streams.processingGuarantee == .exactlyOnceV2)
        #expect(configuration.streams.producerLinger == .milliseconds(7))
        #expect(configuration.httpPort == 9099)
        #expect(configuration.httpHost == "127.0.0.1")
    }

    @Test("a YAML file, nested or with dotted keys")
    func yaml() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("svc-\(UUID()).yaml").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try Data("application:\n  id: yaml-app\nbootstrap.servers: kafka:9092\nnum.standby.replicas: 1\nhttp:\n  port: 8181\n".utf8)
            .write(to: URL(fileURLWithPath: file))
        let configuration = try await ServiceConfiguration.load(arguments: ["program"], environment: ["KSTREAMS_CONFIG_FILE": file])
        #expect(configuration.streams.applicationID == "yaml-app")
        #expect(configuration.streams.bootstrapServers == "kafka:9092")
        #expect(configuration.streams.numStandbyReplicas == 1)
        #expect(configuration.httpPort == 8181)
    }

    @Test("a bad value stops start-up with the key and the accepted values")
    func badValues() async throws {
        let cases: [([String: String], String, String)] = [
            (["PROCESSING_GUARANTEE": "twice"], "processing.guarantee", "at_least_once or exactly_once_v2"),
            (["NUM_STREAM_THREADS": "many"], "num.stream.threads", "must be an integer"),
            (["HTTP_PORT": "70000"], "http.port", "from 0 to 65535"),
            (["DEFAULT_DSL_STORE": "postgres"], "default.dsl.store", "rocksDB or in_memory"),
        ]
        for (environment, key, accepted) in cases {
            await #expect {
                try await ServiceConfiguration.load(
                    arguments: ["program"], environment: environment.merging(["APPLICATION_ID": "x"]) { a, _ in a })
            } throws: { error in
                guard let error = error as? ConfigurationError else { return false }
                return error.key == key && error.message.contains(accepted)
            }
        }
    }

    @Test("a missing or unparsable file names config.file")
    func badFile() async throws {
        await #expect {
            try await ServiceConfiguration.load(arguments: ["program", "--config-file", "/nonexistent/x.json"], environment: [:])
        } throws: { ($0 as? ConfigurationError)?.key == "config.file" }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("svc-\(UUID()).json").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: file))
        await #expect {
            try await ServiceConfiguration.load(arguments: ["program", "--config-file", file], environment: [:])
        } throws: { ($0 as? ConfigurationError)?.message.contains("could not be parsed") == true }
    }
}
