import Foundation
import Logging

/// The entry point of a service program: `--help`, logging to standard error, and the
/// exit status — 2 for a ``ConfigurationError`` (with its message, naming the key), 1 for
/// any other error, 0 after a clean stop.
///
/// ```swift
/// @main enum Main {
///     static func main() async {
///         await ServiceMain.run("fraud-detection", usage: usage) {
///             let configuration = try await ServiceConfiguration.load(defaults: ["application.id": "fraud-detection"])
///             try await StreamsService(topology: try FraudDetectionTopology().build(), configuration: configuration).run()
///         }
///     }
/// }
/// ```
public enum ServiceMain {
    /// Runs `body` as the program `name`.
    /// - Parameters:
    ///   - usage: printed for `--help` or `-h`, instead of running.
    ///   - logLevel: the level of the standard-error log handler.
    public nonisolated(nonsending) static func run(
        _ name: String, usage: String, logLevel: Logger.Level = .notice, _ body: () async throws -> Void
    ) async {
        if CommandLine.arguments.contains("--help") || CommandLine.arguments.contains("-h") {
            print(usage)
            return
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = logLevel
            return handler
        }
        do {
            try await body()
        } catch let error as ConfigurationError {
            FileHandle.standardError.write(Data("\(name): \(error)\n".utf8))
            exit(2)
        } catch {
            FileHandle.standardError.write(Data("\(name): \(error)\n".utf8))
            exit(1)
        }
    }
}

extension ServiceConfiguration {
    /// A program's own key as a number or Boolean (any `LosslessStringConvertible`), or
    /// `nil` if it is not set.
    /// - Parameters:
    ///   - accepted: what is accepted, for the error message ("a number from 1 to 10").
    ///   - valid: further checks on the parsed value.
    /// - Throws: ``ConfigurationError`` naming the key, the accepted values and the value.
    public func value<T: LosslessStringConvertible>(
        _ key: String, accepted: String, valid: (T) -> Bool = { _ in true }
    ) throws -> T? {
        guard let text = properties[key] else { return nil }
        guard let value = T(text), valid(value) else {
            throw ConfigurationError(key: key, message: "\(key) must be \(accepted), got \"\(text)\"")
        }
        return value
    }
}
