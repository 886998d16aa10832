import KafkaStreams
import NIOConcurrencyHelpers

/// A late-bound reference to an application, for services made before it (a generator that
/// needs the embedded broker's address once it runs).
public final class ApplicationHolder: Sendable {
    private let box = NIOLockedValueBox<StreamsApplication?>(nil)

    /// Creates an empty holder.
    public init() {}

    /// The application, once set.
    public var application: StreamsApplication? {
        get { box.withLockedValue { $0 } }
        set { box.withLockedValue { $0 = newValue } }
    }
}
