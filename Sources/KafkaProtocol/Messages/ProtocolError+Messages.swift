// Errors raised by the generated message codecs. Written by hand.

extension ProtocolError {
    /// A message written or read in a version this code does not implement.
    @usableFromInline
    static func unsupportedVersion(_ message: String, version: Int16, supported: ClosedRange<Int16>) -> ProtocolError {
        ProtocolError(
            .unsupportedVersion,
            "\(message) version \(version) is not supported; "
                + "this code implements versions \(supported.lowerBound)-\(supported.upperBound)"
        )
    }

    /// A field holding a non-default value that the version being written does not have (Kafka's
    /// rule: such information may only be dropped silently when the field is marked ignorable).
    @usableFromInline
    static func fieldNotInVersion(_ field: String, version: Int16) -> ProtocolError {
        ProtocolError(
            .unsupportedVersion,
            "\(field) holds a non-default value but version \(version) cannot carry it; "
                + "use a version that has the field or leave it at its default"
        )
    }

    /// A null in a field that the version does not allow to be null.
    @usableFromInline
    static func nonNullable(_ field: String, version: Int16) -> ProtocolError {
        ProtocolError(.invalidValue, "\(field) is null but is not nullable in version \(version)")
    }
}
