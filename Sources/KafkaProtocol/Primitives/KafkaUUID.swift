/// A 128-bit UUID as Kafka writes it (topic ids): 16 bytes, most significant first.
public struct KafkaUUID: Sendable, Hashable, CustomStringConvertible {
    /// The most significant 64 bits.
    public var high: UInt64
    /// The least significant 64 bits.
    public var low: UInt64

    /// Creates a UUID from its two halves.
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The all-zero UUID, Kafka's "no id".
    public static let zero = KafkaUUID(high: 0, low: 0)

    /// Kafka's textual form: URL-safe base64 of the 16 bytes, without padding.
    public var description: String {
        var bytes: [UInt8] = []
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: high >> UInt64(shift))) }
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: low >> UInt64(shift))) }
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        var text = ""
        var i = 0
        while i < bytes.count {
            let chunk = bytes[i..<min(i + 3, bytes.count)]
            var value = 0
            for (j, b) in chunk.enumerated() { value |= Int(b) << (16 - 8 * j) }
            let chars = chunk.count + 1
            for j in 0..<chars { text.append(alphabet[(value >> (18 - 6 * j)) & 63]) }
            i += 3
        }
        return text
    }
}
