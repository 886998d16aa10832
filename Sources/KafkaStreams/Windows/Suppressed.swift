/// How `KTable.suppress` holds back updates: until a window closes, or for a time limit,
/// in a buffer with a size limit and a policy for when it is full.
public struct Suppressed: Sendable, Hashable {
    /// The size limit of the suppression buffer and what to do when it is reached.
    public struct BufferConfig: Sendable, Hashable {
        /// Most records held (`nil`: no limit).
        public var maxRecords: Int?
        /// Most bytes held, keys and values serialized (`nil`: no limit).
        public var maxBytes: Int?
        /// When full: emit the oldest records early (`false`) or fail the task (`true`).
        public var failsWhenFull: Bool

        /// No limit (use with care: bounded only by memory).
        public static let unbounded = BufferConfig(maxRecords: nil, maxBytes: nil, failsWhenFull: true)

        /// At most `count` records; emits early when full.
        public static func maxRecords(_ count: Int) -> BufferConfig { BufferConfig(maxRecords: count, maxBytes: nil, failsWhenFull: false) }

        /// At most `bytes` bytes; emits early when full.
        public static func maxBytes(_ bytes: Int) -> BufferConfig { BufferConfig(maxRecords: nil, maxBytes: bytes, failsWhenFull: false) }

        /// The same limits, emitting the oldest records early when full.
        public func emitEarlyWhenFull() -> BufferConfig {
            var copy = self
            copy.failsWhenFull = false
            return copy
        }

        /// The same limits, failing the task with a clear error when full.
        public func shutDownWhenFull() -> BufferConfig {
            var copy = self
            copy.failsWhenFull = true
            return copy
        }
    }

    enum Mode: Sendable, Hashable {
        case untilWindowCloses
        case untilTimeLimit(Int64)
    }

    let mode: Mode
    let buffer: BufferConfig

    /// Only each window's final result, once stream time passes its end + grace (for
    /// sessions, end + gap + grace; the table must be a windowed aggregation). Unbounded buffer.
    public static var untilWindowCloses: Suppressed { Suppressed(mode: .untilWindowCloses, buffer: .unbounded) }

    /// Only each window's final result, with a bounded buffer (which must shut down when
    /// full, as emitting early would break "final").
    public static func untilWindowCloses(_ buffer: BufferConfig) -> Suppressed {
        Suppressed(mode: .untilWindowCloses, buffer: buffer.shutDownWhenFull())
    }

    /// The latest update per key once it is `limit` older than stream time (rate limiting).
    public static func untilTimeLimit(_ limit: Duration, _ buffer: BufferConfig = .unbounded) -> Suppressed {
        Suppressed(mode: .untilTimeLimit(max(0, limit.milliseconds)), buffer: buffer)
    }
}
