/// A SASL mechanism Kafka clients and brokers use: `PLAIN`, `SCRAM-SHA-256`, `SCRAM-SHA-512`.
public enum SASLMechanism: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case plain = "PLAIN"
    case scramSHA256 = "SCRAM-SHA-256"
    case scramSHA512 = "SCRAM-SHA-512"

    /// The SCRAM hash of a SCRAM mechanism; `nil` for PLAIN.
    public var scram: ScramHash? {
        switch self {
        case .plain: nil
        case .scramSHA256: .sha256
        case .scramSHA512: .sha512
        }
    }

    public var description: String { rawValue }
}
