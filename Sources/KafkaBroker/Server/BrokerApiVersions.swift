import KafkaProtocol

/// The APIs and versions this broker advertises in ApiVersions: those the generated
/// messages implement (``KafkaApiVersionTable/implemented``), except WriteTxnMarkers (broker
/// to broker), with Produce from v3 and Fetch from v4 as Kafka 4 does; SaslHandshake (v1,
/// so tokens travel in SaslAuthenticate) and SaslAuthenticate only on a SASL listener.
public enum BrokerApiVersions {
    /// The table of a listener: with the SASL APIs when `sasl` is on.
    public static func advertised(sasl: Bool) -> KafkaApiVersionTable { sasl ? withSASL : table }

    /// The table of a listener without SASL.
    public static let table: KafkaApiVersionTable = {
        let excluded: Set<ApiKey> = [.saslHandshake, .saslAuthenticate, .writeTxnMarkers]
        return KafkaApiVersionTable(
            KafkaApiVersionTable.implemented.entries.compactMap { entry in
                guard !excluded.contains(entry.apiKey) else { return nil }
                var entry = entry
                if entry.apiKey == .produce { entry.minVersion = max(entry.minVersion, 3) }
                if entry.apiKey == .fetch { entry.minVersion = max(entry.minVersion, 4) }
                return entry
            })
    }()

    /// The table of a SASL listener (also what the request decoder accepts).
    public static let withSASL: KafkaApiVersionTable = {
        var entries = table.entries
        for key in [ApiKey.saslHandshake, .saslAuthenticate] {
            guard var entry = KafkaApiVersionTable.implemented.entry(for: key) else { continue }
            if key == .saslHandshake { entry.minVersion = max(entry.minVersion, 1) }
            entries.append(entry)
        }
        return KafkaApiVersionTable(entries.sorted { $0.apiKey < $1.apiKey })
    }()
}
