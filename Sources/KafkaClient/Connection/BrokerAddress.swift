/// A broker's host and port.
public struct BrokerAddress: Sendable, Hashable, CustomStringConvertible {
    /// The host name or address.
    public var host: String
    /// The TCP port.
    public var port: Int

    /// Creates an address.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port` (IPv6 hosts in brackets: `[::1]:9092`).
    /// - Throws: ``KafkaClientError`` (`invalidConfig`) naming the text when it is not an address.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingWhitespace()
        var host = Substring(trimmed)
        var portText: Substring = ""
        if trimmed.hasPrefix("["), let close = trimmed.firstIndex(of: "]") {
            host = trimmed[trimmed.index(after: trimmed.startIndex)..<close]
            let rest = trimmed[trimmed.index(after: close)...]
            portText = rest.hasPrefix(":") ? rest.dropFirst() : ""
        } else if let colon = trimmed.lastIndex(of: ":") {
            host = trimmed[..<colon]
            portText = trimmed[trimmed.index(after: colon)...]
        }
        guard !host.isEmpty, let port = Int(portText), (1...65535).contains(port) else {
            throw KafkaClientError(.invalidConfig, "\"\(text)\" is not a broker address of the form host:port")
        }
        self.init(host: String(host), port: port)
    }

    /// Parses a comma-separated `bootstrap.servers` list.
    /// - Throws: ``KafkaClientError`` (`invalidConfig`) for an empty list or a bad entry.
    public static func list(_ text: String) throws -> [BrokerAddress] {
        let parts = text.split(separator: ",").map { String($0) }.filter { !$0.trimmingWhitespace().isEmpty }
        guard !parts.isEmpty else { throw KafkaClientError(.invalidConfig, "bootstrap.servers is empty") }
        return try parts.map(BrokerAddress.init(parsing:))
    }

    /// `host:port`.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// Whether the host is an IPv4 or IPv6 address rather than a name (TLS sends no server
    /// name for an address).
    var isIPAddress: Bool {
        host.contains(":") || (!host.isEmpty && host.allSatisfy { $0.isNumber || $0 == "." })
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
