import KafkaProtocol

/// The APIs and versions this broker advertises in ApiVersions: those the generated
/// messages implement (``KafkaApiVersionTable/implemented``), except SASL (no SASL listener
/// yet) and WriteTxnMarkers (broker to broker), with Produce from v3 and Fetch from v4 as
/// Kafka 4 does.
public enum BrokerApiVersions {
    /// The advertised table.
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
}
