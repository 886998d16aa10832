import Configuration
import Foundation
import KafkaClient
import KafkaStreams
import SystemPackage

/// A service's configuration: the Kafka Streams properties and the service's own, read
/// with swift-configuration from command-line flags, environment variables and a JSON or
/// YAML file, in that order of precedence, over the program's defaults.
///
/// Keys are Kafka Streams' property names. Each source spells them its own way:
///
/// | Source | `application.id` | `num.stream.threads` |
/// |---|---|---|
/// | flag | `--application-id fraud` | `--num-stream-threads 2` |
/// | environment | `APPLICATION_ID=fraud` | `NUM_STREAM_THREADS=2` |
/// | file (JSON/YAML) | `"application.id": "fraud"` or nested `application: {id: fraud}` | `"num.stream.threads": 2` |
///
/// The file is named by `--config-file PATH` or `KSTREAMS_CONFIG_FILE`; `.yaml`/`.yml`
/// files are read as YAML, anything else as JSON.
///
/// ```swift
/// let configuration = try await ServiceConfiguration.load(defaults: ["application.id": "fraud-detection"])
/// ```
public struct ServiceConfiguration: Sendable {
    /// The Kafka Streams configuration.
    public var streams: StreamsConfig
    /// The address the HTTP endpoint binds (`http.host`, default `127.0.0.1`).
    public var httpHost: String
    /// The HTTP endpoint's port (`http.port`, default 8080; 0 picks a free port).
    public var httpPort: Int
    /// Every property that was set, by key, after precedence: Kafka Streams' and the
    /// program's own (``load(arguments:environment:defaults:extraKeys:)``'s `extraKeys`).
    public var properties: [String: String]

    /// The service's own keys.
    public static let serviceKeys = ["http.host", "http.port"]

    /// Creates a configuration from resolved properties (what ``load(arguments:environment:defaults:extraKeys:)``
    /// does after reading its sources).
    /// - Throws: ``ConfigurationError`` naming the key whose value is not accepted.
    public init(properties: [String: String]) throws {
        self.properties = properties
        do {
            streams = try StreamsConfig(properties: properties)
        } catch let error as StreamsError {
            throw ConfigurationError(key: error.message.split(separator: " ").first.map(String.init) ?? "?", message: error.message)
        }
        // The client's settings (security, timeouts) are checked now, not at start-up.
        var client = properties
        if streams.bootstrapServers == "embedded" { client["bootstrap.servers"] = "localhost:9092" }
        do { _ = try ClientConfig(properties: client) } catch {
            let text = "\(error)"
            let key = StreamsConfig.propertyNames.first { text.contains($0) } ?? "client settings"
            throw ConfigurationError(key: key, message: "\(key): \(text)")
        }
        httpHost = properties["http.host"] ?? "127.0.0.1"
        if let text = properties["http.port"] {
            guard let port = Int(text), (0...65_535).contains(port) else {
                throw ConfigurationError(key: "http.port", message: "http.port must be a port number from 0 to 65535, got \"\(text)\"")
            }
            httpPort = port
        } else {
            httpPort = 8080
        }
    }

    /// Reads the configuration: flags, then environment variables, then the file, then
    /// `defaults`.
    ///
    /// - Parameters:
    ///   - arguments: the command line (`CommandLine.arguments`).
    ///   - environment: the environment variables.
    ///   - defaults: the program's defaults, by property name.
    ///   - extraKeys: the program's own keys, read like the Kafka Streams ones.
    /// - Throws: ``ConfigurationError`` for a file that cannot be read or parsed, or a
    ///   value that is not accepted (naming the key and the accepted values).
    public static func load(
        arguments: [String] = CommandLine.arguments,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        defaults: [String: String] = [:],
        extraKeys: [String] = []
    ) async throws -> ServiceConfiguration {
        var providers: [any ConfigProvider] = [
            CommandLineArgumentsProvider(arguments: arguments),
            EnvironmentVariablesProvider(environmentVariables: environment),
        ]
        let bootstrap = ConfigReader(providers: providers)
        if let path = bootstrap.string(forKey: "config.file") ?? bootstrap.string(forKey: "kstreams.config.file") {
            providers.append(try await fileProvider(path))
        }
        let reader = ConfigReader(providers: providers)
        var properties = defaults
        for key in StreamsConfig.propertyNames + serviceKeys + extraKeys {
            if let value = read(reader, key) { properties[key] = value }
        }
        return try ServiceConfiguration(properties: properties)
    }

    /// A provider for the file at `path`, YAML or JSON by its extension.
    static func fileProvider(_ path: String) async throws -> any ConfigProvider {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ConfigurationError(key: "config.file", message: "config.file \(path) does not exist")
        }
        do {
            if path.hasSuffix(".yaml") || path.hasSuffix(".yml") {
                return try await FileProvider<YAMLSnapshot>(filePath: FilePath(path))
            }
            return try await FileProvider<JSONSnapshot>(filePath: FilePath(path))
        } catch {
            throw ConfigurationError(key: "config.file", message: "config.file \(path) could not be parsed: \(error)")
        }
    }

    /// A key's value as text, whatever type its source gave it (a JSON file's numbers
    /// and booleans too).
    static func read(_ reader: ConfigReader, _ key: String) -> String? {
        let configKey = ConfigKey(key.split(separator: ".").map(String.init))
        if let value = reader.string(forKey: configKey) { return value }
        if let value = reader.int(forKey: configKey) { return String(value) }
        if let value = reader.double(forKey: configKey) { return String(value) }
        if let value = reader.bool(forKey: configKey) { return String(value) }
        return nil
    }
}

/// A configuration value the service does not accept, or a file it cannot read.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    /// The offending key (a Kafka Streams property name, `http.port`, `config.file`, …).
    public var key: String
    /// What is wrong and what is accepted.
    public var message: String

    /// Creates an error.
    public init(key: String, message: String) {
        self.key = key
        self.message = message
    }

    public var description: String { "invalid configuration: \(message)" }
}
