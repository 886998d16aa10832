import ArgumentParser

/// Where a command connects: a cluster, or the embedded broker on an application's data.
struct ConnectionOptions: ParsableArguments {
    @Option(
        name: .customLong("bootstrap-servers"),
        help: "A cluster's host:port list, or 'embedded' for the embedded broker's data under --state-dir.")
    var bootstrapServers: String

    @Option(
        name: .customLong("state-dir"),
        help: "The applications' state.dir (required with --bootstrap-servers embedded).")
    var stateDirectory: String?

    /// Whether the command runs on the embedded broker's data.
    var isEmbedded: Bool { bootstrapServers == "embedded" }

    /// Checks the combination of options.
    /// - Parameter applicationID: the command's `--application-id`, if it has one.
    func check(applicationID: String?) throws {
        if bootstrapServers.isEmpty {
            throw ValidationError("--bootstrap-servers expects host:port[,host:port...] or 'embedded', got an empty value")
        }
        guard isEmbedded else {
            if bootstrapServers.split(separator: ",").contains(where: { !$0.contains(":") }) {
                throw ValidationError("--bootstrap-servers expects host:port[,host:port...] or 'embedded', got '\(bootstrapServers)'")
            }
            return
        }
        if stateDirectory == nil {
            throw ValidationError("--bootstrap-servers embedded needs --state-dir DIR (the application's state.dir)")
        }
        if applicationID == nil {
            throw ValidationError("--bootstrap-servers embedded needs --application-id ID (whose embedded broker to open)")
        }
    }
}
