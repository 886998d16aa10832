import KafkaProtocol
import KafkaSecurity
import NIOCore

extension BrokerConnection {
    /// Authenticates the connection: SaslHandshake (v1) names the mechanism, then
    /// SaslAuthenticate carries its messages (one for PLAIN, two rounds for SCRAM).
    /// - Throws: ``KafkaClientError`` (`authentication`) when the broker does not enable
    ///   the mechanism or refuses the credentials, with the broker's message.
    func authenticate(_ sasl: SecurityConfig.SASL) async throws {
        let broker = address.description
        let mechanism = sasl.mechanism.rawValue
        let handshakeVersion = try version(for: SaslHandshakeRequest.self)
        guard handshakeVersion >= 1 else {
            throw KafkaClientError(.unsupportedVersion, "the broker speaks only SaslHandshake v0 (no SaslAuthenticate)", broker: broker)
        }
        let handshake = try await send(SaslHandshakeRequest(mechanism: mechanism), version: handshakeVersion)
        if handshake.errorCode != 0 {
            throw KafkaClientError(
                .authentication,
                "the broker does not enable SASL mechanism \(mechanism) (it enables \(handshake.mechanisms.joined(separator: ", ")))",
                broker: broker, cause: KafkaError(code: handshake.errorCode, broker: broker, api: "SaslHandshake"))
        }
        switch sasl.mechanism {
        case .plain:
            _ = try await exchange(SaslPlain.message(username: sasl.username, password: sasl.password), sasl)
        case .scramSHA256, .scramSHA512:
            var scram = ScramClient(hash: sasl.mechanism.scram!, username: sasl.username, password: sasl.password)
            let serverFirst = try await exchange(scram.firstMessage(), sasl)
            do {
                let serverFinal = try await exchange(try scram.finalMessage(serverFirst: serverFirst), sasl)
                try scram.verify(serverFinal: serverFinal)
            } catch let error as SASLError {
                throw KafkaClientError(.authentication, error.description, broker: broker, cause: error)
            }
        }
    }

    /// One SaslAuthenticate round trip: sends `bytes`, returns the broker's bytes.
    private func exchange(_ bytes: [UInt8], _ sasl: SecurityConfig.SASL) async throws -> [UInt8] {
        let response = try await send(SaslAuthenticateRequest(authBytes: ByteBuffer(bytes: bytes)))
        if response.errorCode != 0 {
            let code = KafkaErrorCode(code: response.errorCode)
            throw KafkaClientError(
                .authentication,
                "SASL \(sasl.mechanism) authentication of user \(sasl.username) failed: \(response.errorMessage ?? code.name)",
                broker: address.description, cause: KafkaError(code: response.errorCode, broker: address.description, api: "SaslAuthenticate"))
        }
        return Array(buffer: response.authBytes)
    }
}
