import NIOSSL

/// Builds the TLS context of a client's connections from ``SecurityConfig/TLS``.
enum TLSClientContext {
    /// A context trusting `caFile` (or the system's roots), presenting the client
    /// certificate if one is configured, and checking host names unless turned off.
    /// - Throws: ``KafkaClientError`` (`invalidConfig`) naming the file that cannot be read.
    static func make(_ settings: SecurityConfig.TLS) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let ca = settings.caFile {
            do {
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(ca))
            } catch {
                throw KafkaClientError(.invalidConfig, "ssl.ca.location \(ca): cannot read certificates: \(error)", cause: error)
            }
        }
        if let certificate = settings.certificateFile, let key = settings.keyFile {
            do {
                configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) }
            } catch {
                throw KafkaClientError(
                    .invalidConfig, "ssl.certificate.location \(certificate): cannot read certificates: \(error)", cause: error)
            }
            do {
                configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
            } catch {
                throw KafkaClientError(.invalidConfig, "ssl.key.location \(key): cannot read the private key: \(error)", cause: error)
            }
        }
        configuration.certificateVerification = settings.verifyHostname ? .fullVerification : .noHostnameVerification
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw KafkaClientError(.invalidConfig, "cannot set up TLS: \(error)", cause: error)
        }
    }

    /// The TLS error in `error` or its causes, if any.
    static func tlsFailure(in error: any Error) -> (any Error)? {
        var current: (any Error)? = error
        for _ in 0..<4 {
            guard let error = current else { return nil }
            if error is NIOSSLError || error is BoringSSLError { return error }
            current = (error as? KafkaClientError)?.cause
        }
        return nil
    }
}
